package org.osgres.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.ZoneId;
import java.time.ZonedDateTime;

import org.junit.jupiter.api.Test;

class LogFileNameTest {
    @Test
    void strftimeEscapes() {
        ZonedDateTime t = ZonedDateTime.of(2024, 3, 5, 7, 8, 9, 0, ZoneId.of("UTC"));
        assertEquals("postgresql-2024-03-05_070809.log", LogFileName.format("postgresql-%Y-%m-%d_%H%M%S.log", t));
        assertEquals("postgresql-Tue.log", LogFileName.format("postgresql-%a.log", t));
        assertEquals("x-24-065-AM-Mar-%-%q", LogFileName.format("x-%y-%j-%p-%b-%%-%q", t));
        assertEquals("1709622489", LogFileName.format("%s", t));
    }
}
