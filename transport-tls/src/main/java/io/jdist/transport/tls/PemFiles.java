package io.jdist.transport.tls;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PEMDecryptorProvider;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMException;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8DecryptorProviderBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMDecryptorProviderBuilder;
import org.bouncycastle.operator.InputDecryptorProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.bouncycastle.pkcs.PKCSException;

/**
 * Reads certificates and private keys from PEM files, in every form OpenSSL writes keys: PKCS#8
 * ({@code PRIVATE KEY}), encrypted PKCS#8 ({@code ENCRYPTED PRIVATE KEY}), PKCS#1 RSA ({@code RSA
 * PRIVATE KEY}) and SEC1 EC ({@code EC PRIVATE KEY}), the last two also with OpenSSL's legacy
 * {@code Proc-Type: 4,ENCRYPTED} header. Errors name the file, never a password.
 */
final class PemFiles {

    /** Not registered with the JVM: only for decrypting keys, whose ciphers the JDK may lack. */
    static final BouncyCastleProvider BC = new BouncyCastleProvider();

    private PemFiles() {
    }

    /** The certificates in {@code file}, in order, skipping any other PEM block (such as a key). */
    static List<X509Certificate> certificates(Path file) throws IOException {
        List<X509Certificate> certificates = new ArrayList<>();
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII);
                PEMParser parser = new PEMParser(reader)) {
            for (Object object = parser.readObject(); object != null; object = parser.readObject()) {
                if (object instanceof X509CertificateHolder holder) {
                    certificates.add(converter.getCertificate(holder));
                }
            }
        } catch (CertificateException e) {
            throw new IOException("cannot read the certificates in " + file + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw unreadable("the certificates", file, e);
        }
        if (certificates.isEmpty()) {
            throw new IOException("no certificate in " + file + "; expected a PEM block -----BEGIN CERTIFICATE-----");
        }
        return certificates;
    }

    /**
     * The first private key in {@code file}.
     *
     * @param password for an encrypted key, else {@code null}; cleared afterwards
     */
    static PrivateKey privateKey(Path file, char[] password) throws IOException {
        boolean encrypted = false;
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII);
                PEMParser parser = new PEMParser(reader)) {
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            for (Object object = parser.readObject(); object != null; object = parser.readObject()) {
                if (object instanceof PrivateKeyInfo info) {
                    return converter.getPrivateKey(info);
                }
                if (object instanceof PEMKeyPair pair) {
                    // The private key alone: a SEC1 key need not carry its public key.
                    return converter.getPrivateKey(pair.getPrivateKeyInfo());
                }
                if (object instanceof PKCS8EncryptedPrivateKeyInfo pkcs8) {
                    encrypted = true;
                    InputDecryptorProvider decryptor = new JceOpenSSLPKCS8DecryptorProviderBuilder().setProvider(BC)
                            .build(requirePassword(file, password));
                    return converter.getPrivateKey(pkcs8.decryptPrivateKeyInfo(decryptor));
                }
                if (object instanceof PEMEncryptedKeyPair legacy) {
                    encrypted = true;
                    PEMDecryptorProvider decryptor = new JcePEMDecryptorProviderBuilder().setProvider(BC)
                            .build(requirePassword(file, password));
                    return converter.getPrivateKey(legacy.decryptKeyPair(decryptor).getPrivateKeyInfo());
                }
            }
            throw new IOException("no private key in " + file + "; expected a PEM block such as -----BEGIN PRIVATE KEY-----");
        } catch (PKCSException | PEMException e) {
            throw new IOException((encrypted ? "cannot decrypt the private key in " + file + " (wrong password?): "
                    : "cannot read the private key in " + file + ": ") + e.getMessage(), e);
        } catch (OperatorCreationException e) {
            throw new IOException("cannot decrypt the private key in " + file + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw unreadable("the private key", file, e);
        } finally {
            if (password != null) {
                Arrays.fill(password, '\0');
            }
        }
    }

    /**
     * A failure to read {@code what} from {@code file} that says so: the JDK's own exceptions for a
     * missing or unreadable file carry nothing but the file's name.
     */
    private static IOException unreadable(String what, Path file, IOException e) {
        if (!(e instanceof NoSuchFileException || e instanceof AccessDeniedException)
                && String.valueOf(e.getMessage()).contains(file.toString())) {
            return e;
        }
        return new IOException("cannot read " + what + " in " + file + ": " + why(e), e);
    }

    /** Why a file could not be read, in words: {@code no such file} rather than the bare file name. */
    static String why(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "no such file";
        } else if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        return String.valueOf(e.getMessage());
    }

    private static char[] requirePassword(Path file, char[] password) throws IOException {
        if (password == null) {
            throw new EncryptedKeyException(file);
        }
        return password;
    }

    /** An encrypted key was found and no password given; the message says how a carrier gets one. */
    static final class EncryptedKeyException extends IOException {
        private static final long serialVersionUID = 1L;

        EncryptedKeyException(Path file) {
            super("the private key in " + file + " is encrypted; set keyPasswordFile or keyPasswordEnv");
        }
    }
}
