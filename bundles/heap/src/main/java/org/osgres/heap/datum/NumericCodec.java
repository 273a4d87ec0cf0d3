/*
 * NumericCodec: numeric values in PostgreSQL's on-disk format (PostgreSQL: utils/adt/numeric.c
 * make_result, NumericShort and NumericLong), without the varlena header.
 *
 * Digits are base 10000 (NBASE), most significant first; weight is the power of NBASE of the
 * first digit; dscale the number of decimal digits after the point to display. Leading and
 * trailing zero digits are stripped; zero has no digits, weight 0, sign positive. The short
 * format (a 2-byte header: 0x8000 | sign 0x2000 | dscale << 7 | weight sign 0x40 | weight & 0x3F)
 * is used when dscale <= 63 and -64 <= weight <= 63; else the long one (uint16 sign|dscale,
 * int16 weight). NaN and infinities are not handled yet.
 *
 * Entry points: encode(), decode().
 */
package org.osgres.heap.datum;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

public final class NumericCodec {
    static final int NBASE = 10000;
    static final int DEC_DIGITS = 4;
    static final int NUMERIC_POS = 0x0000;
    static final int NUMERIC_NEG = 0x4000;
    static final int NUMERIC_SHORT = 0x8000;
    static final int NUMERIC_SPECIAL = 0xC000;
    static final int NUMERIC_SIGN_MASK = 0xC000;
    static final int NUMERIC_DSCALE_MASK = 0x3FFF;
    static final int NUMERIC_SHORT_SIGN_MASK = 0x2000;
    static final int NUMERIC_SHORT_DSCALE_MASK = 0x1F80;
    static final int NUMERIC_SHORT_DSCALE_SHIFT = 7;
    static final int NUMERIC_SHORT_DSCALE_MAX = NUMERIC_SHORT_DSCALE_MASK >> NUMERIC_SHORT_DSCALE_SHIFT;
    static final int NUMERIC_SHORT_WEIGHT_SIGN_MASK = 0x0040;
    static final int NUMERIC_SHORT_WEIGHT_MASK = 0x003F;
    static final int NUMERIC_SHORT_WEIGHT_MAX = NUMERIC_SHORT_WEIGHT_MASK;
    static final int NUMERIC_SHORT_WEIGHT_MIN = -(NUMERIC_SHORT_WEIGHT_MASK + 1);

    private NumericCodec() {
    }

    public static byte[] encode(BigDecimal value) {
        int dscale = Math.max(0, value.scale());
        boolean negative = value.signum() < 0;
        BigDecimal abs = value.abs().setScale(dscale);
        String plain = abs.toPlainString();
        int point = plain.indexOf('.');
        String intPart = point < 0 ? plain : plain.substring(0, point);
        String fracPart = point < 0 ? "" : plain.substring(point + 1);
        if (intPart.equals("0")) {
            intPart = "";
        }
        int intGroups = (intPart.length() + DEC_DIGITS - 1) / DEC_DIGITS;
        String intPadded = "0".repeat(intGroups * DEC_DIGITS - intPart.length()) + intPart;
        int fracGroups = (fracPart.length() + DEC_DIGITS - 1) / DEC_DIGITS;
        String fracPadded = fracPart + "0".repeat(fracGroups * DEC_DIGITS - fracPart.length());
        String all = intPadded + fracPadded;
        int n = all.length() / DEC_DIGITS;
        int[] digits = new int[n];
        for (int i = 0; i < n; i++) {
            digits[i] = Integer.parseInt(all, i * DEC_DIGITS, (i + 1) * DEC_DIGITS, 10);
        }
        int weight = intGroups - 1;
        int first = 0;
        while (first < n && digits[first] == 0) {
            first++;
            weight--;
        }
        int last = n;
        while (last > first && digits[last - 1] == 0) {
            last--;
        }
        int ndigits = last - first;
        if (ndigits == 0) {
            weight = 0;
            negative = false;
        }
        boolean isShort = dscale <= NUMERIC_SHORT_DSCALE_MAX && weight <= NUMERIC_SHORT_WEIGHT_MAX
                && weight >= NUMERIC_SHORT_WEIGHT_MIN;
        ByteBuffer out = ByteBuffer.allocate((isShort ? 2 : 4) + 2 * ndigits).order(ByteOrder.LITTLE_ENDIAN);
        if (isShort) {
            int header = NUMERIC_SHORT | (negative ? NUMERIC_SHORT_SIGN_MASK : 0)
                    | (dscale << NUMERIC_SHORT_DSCALE_SHIFT) | (weight < 0 ? NUMERIC_SHORT_WEIGHT_SIGN_MASK : 0)
                    | (weight & NUMERIC_SHORT_WEIGHT_MASK);
            out.putShort((short) header);
        } else {
            out.putShort((short) ((negative ? NUMERIC_NEG : NUMERIC_POS) | (dscale & NUMERIC_DSCALE_MASK)));
            out.putShort((short) weight);
        }
        for (int i = first; i < last; i++) {
            out.putShort((short) digits[i]);
        }
        return out.array();
    }

    public static BigDecimal decode(byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int header = in.getShort(0) & 0xffff;
        boolean negative;
        int dscale;
        int weight;
        int pos;
        if ((header & NUMERIC_SIGN_MASK) == NUMERIC_SHORT) {
            negative = (header & NUMERIC_SHORT_SIGN_MASK) != 0;
            dscale = (header & NUMERIC_SHORT_DSCALE_MASK) >> NUMERIC_SHORT_DSCALE_SHIFT;
            weight = header & NUMERIC_SHORT_WEIGHT_MASK;
            if ((header & NUMERIC_SHORT_WEIGHT_SIGN_MASK) != 0) {
                weight |= ~NUMERIC_SHORT_WEIGHT_MASK;
            }
            pos = 2;
        } else if ((header & NUMERIC_SIGN_MASK) == NUMERIC_SPECIAL) {
            throw new UnsupportedOperationException("numeric NaN and infinities are not supported yet");
        } else {
            negative = (header & NUMERIC_SIGN_MASK) == NUMERIC_NEG;
            dscale = header & NUMERIC_DSCALE_MASK;
            weight = in.getShort(2);
            pos = 4;
        }
        int ndigits = (bytes.length - pos) / 2;
        BigInteger unscaled = BigInteger.ZERO;
        BigInteger nbase = BigInteger.valueOf(NBASE);
        for (int i = 0; i < ndigits; i++) {
            unscaled = unscaled.multiply(nbase).add(BigInteger.valueOf(in.getShort(pos + 2 * i) & 0xffff));
        }
        // value = unscaled * NBASE^(weight - ndigits + 1)
        int exp = (weight - ndigits + 1) * DEC_DIGITS;
        BigDecimal v = new BigDecimal(unscaled, -exp);
        v = v.setScale(dscale, java.math.RoundingMode.UNNECESSARY);
        return negative ? v.negate() : v;
    }
}
