package org.osgres.auth.hba;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

import org.osgres.api.auth.AuthExchange;
import org.osgres.api.protocol.FrontendMessage;
import org.osgres.auth.hba.crypt.PasswordHashes;
import org.osgres.auth.hba.crypt.ScramSecret;

/**
 * A client for unit tests that answers Authentication requests as libpq does: cleartext, md5
 * and SCRAM-SHA-256 (with PLUS when endPoint is set), and checks the server's signature.
 */
final class FakeClient implements AuthExchange {
    final String user;
    final String password;
    final byte[] endPoint;
    final List<Integer> requests = new ArrayList<>();
    boolean serverSignatureOk;
    String mechanismsOffered;
    private FrontendMessage next;
    private String clientFirstBare;
    private String clientNonce = "fyko+d2lbbFgONRv9qkxdawL";

    FakeClient(String user, String password) {
        this(user, password, null);
    }

    FakeClient(String user, String password, byte[] endPoint) {
        this.user = user;
        this.password = password;
        this.endPoint = endPoint;
    }

    @Override
    public void sendRequest(int authCode, byte[] data) {
        requests.add(authCode);
        switch (authCode) {
            case 3 -> next = password(password);
            case 5 -> next = password(PasswordHashes.md5Salted(PasswordHashes.md5Secret(password, user), data));
            case 10 -> {
                mechanismsOffered = new String(data, StandardCharsets.US_ASCII).replace('\0', ' ').strip();
                boolean plus = endPoint != null && mechanismsOffered.contains("PLUS");
                String gs2 = plus ? "p=tls-server-end-point,," : "n,,";
                clientFirstBare = "n=,r=" + clientNonce;
                byte[] first = (gs2 + clientFirstBare).getBytes(StandardCharsets.UTF_8);
                byte[] mech = ((plus ? "SCRAM-SHA-256-PLUS" : "SCRAM-SHA-256") + "\0").getBytes(StandardCharsets.US_ASCII);
                ByteBuffer b = ByteBuffer.allocate(mech.length + 4 + first.length);
                b.put(mech).putInt(first.length).put(first);
                next = new FrontendMessage('p', b.array());
            }
            case 11 -> next = new FrontendMessage('p', clientFinal(new String(data, StandardCharsets.UTF_8)));
            case 12 -> serverSignatureOk = new String(data, StandardCharsets.UTF_8).equals("v=" + expectedServerSignature);
            default -> throw new AssertionError("unexpected request " + authCode);
        }
    }

    private String authMessage;
    private String expectedServerSignature;

    private byte[] clientFinal(String serverFirst) {
        String[] parts = serverFirst.split(",");
        String nonce = parts[0].substring(2);
        byte[] salt = Base64.getDecoder().decode(parts[1].substring(2));
        int iterations = Integer.parseInt(parts[2].substring(2));
        String cbind;
        if (endPoint != null && mechanismsOffered.contains("PLUS")) {
            byte[] h = "p=tls-server-end-point,,".getBytes(StandardCharsets.US_ASCII);
            byte[] all = Arrays.copyOf(h, h.length + endPoint.length);
            System.arraycopy(endPoint, 0, all, h.length, endPoint.length);
            cbind = Base64.getEncoder().encodeToString(all);
        } else {
            cbind = "biws";
        }
        String withoutProof = "c=" + cbind + ",r=" + nonce;
        authMessage = clientFirstBare + "," + serverFirst + "," + withoutProof;
        byte[] salted = ScramSecret.saltedPassword(password, salt, iterations);
        byte[] clientKey = ScramSecret.clientKey(salted);
        byte[] storedKey = ScramSecret.sha256(clientKey);
        byte[] sig = ScramSecret.hmac(storedKey, authMessage.getBytes(StandardCharsets.UTF_8));
        byte[] proof = new byte[32];
        for (int i = 0; i < 32; i++) {
            proof[i] = (byte) (clientKey[i] ^ sig[i]);
        }
        byte[] serverKey = ScramSecret.hmac(salted, "Server Key".getBytes(StandardCharsets.US_ASCII));
        expectedServerSignature = Base64.getEncoder().encodeToString(
                ScramSecret.hmac(serverKey, authMessage.getBytes(StandardCharsets.UTF_8)));
        return (withoutProof + ",p=" + Base64.getEncoder().encodeToString(proof)).getBytes(StandardCharsets.UTF_8);
    }

    private static FrontendMessage password(String p) {
        byte[] b = (p + "\0").getBytes(StandardCharsets.UTF_8);
        return new FrontendMessage('p', b);
    }

    @Override
    public FrontendMessage readResponse() {
        FrontendMessage m = next;
        next = null;
        return m;
    }
}
