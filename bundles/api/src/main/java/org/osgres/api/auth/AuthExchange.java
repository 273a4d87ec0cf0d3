package org.osgres.api.auth;

import java.io.IOException;

import org.osgi.annotation.versioning.ProviderType;
import org.osgres.api.protocol.FrontendMessage;

/** The authentication conversation with the client: Authentication* requests out, responses in. */
@ProviderType
public interface AuthExchange {

    /** Sends an Authentication message ('R') with the given code and the bytes that follow it. */
    void sendRequest(int authCode, byte[] data) throws IOException;

    /**
     * Reads the client's answer, which must be a PasswordMessage-family message ('p').
     *
     * @return the message, or null if the client hung up (as psql does to ask for a password)
     */
    FrontendMessage readResponse() throws IOException;
}
