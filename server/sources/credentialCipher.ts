import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { ValidationError } from '../errors.ts';

/** A source's secrets: the token it authenticates with (Git over HTTPS, a wiki's API), or an OAuth client that obtains one. */
export interface SourceCredentials {
  /** Empty when an OAuth client obtains the token. */
  token: string;
  /** The user name sent with the token; most Git hosts accept any; Atlassian Cloud wants the account's email. */
  username?: string;
  /** An OAuth 2.0 client: Microsoft Graph's app-only client credentials (secret or certificate), Atlassian's 3LO app with its refresh token. */
  oauth?: {
    clientId: string;
    clientSecret?: string;
    tenantId?: string;
    certificatePem?: string;
    privateKeyPem?: string;
    refreshToken?: string;
  };
}

const nonceBytes = 12;
const tagBytes = 16;

/**
 * Seals sources' credentials with AES-256-GCM under SOURCE_CREDENTIALS_KEY: stored as nonce,
 * tag and ciphertext, opened only by the sync that uses them. Without a key, credentials are
 * refused rather than stored in the clear.
 */
export class CredentialCipher {
  constructor(private readonly key: Buffer | undefined) {}

  get available(): boolean {
    return this.key !== undefined;
  }

  seal(credentials: SourceCredentials): Buffer {
    if (!this.key) {
      throw new ValidationError(
        'This server cannot store credentials: set SOURCE_CREDENTIALS_KEY (32 random bytes, openssl rand -base64 32) and restart.',
      );
    }
    const nonce = randomBytes(nonceBytes);
    const cipher = createCipheriv('aes-256-gcm', this.key, nonce);
    const sealed = Buffer.concat([cipher.update(JSON.stringify(credentials), 'utf8'), cipher.final()]);
    return Buffer.concat([nonce, cipher.getAuthTag(), sealed]);
  }

  /** Throws when the key is missing or is not the one that sealed them (it was changed). */
  open(sealed: Buffer): SourceCredentials {
    if (!this.key) throw new CredentialsUnavailableError('SOURCE_CREDENTIALS_KEY is not set, so the stored credentials cannot be read.');
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, sealed.subarray(0, nonceBytes));
      decipher.setAuthTag(sealed.subarray(nonceBytes, nonceBytes + tagBytes));
      const plain = Buffer.concat([decipher.update(sealed.subarray(nonceBytes + tagBytes)), decipher.final()]);
      return JSON.parse(plain.toString('utf8')) as SourceCredentials;
    } catch {
      throw new CredentialsUnavailableError(
        'The stored credentials cannot be decrypted with SOURCE_CREDENTIALS_KEY (was the key changed?): set them again.',
      );
    }
  }
}

export class CredentialsUnavailableError extends Error {
  readonly code = 'credentials_unavailable';
}
