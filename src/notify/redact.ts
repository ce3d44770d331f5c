// Keeps secrets (webhook URLs, SMTP passwords, HMAC keys) out of every log line and error leuko prints.

export type Redactor = (text: string) => string;

/** Replaces each secret (longest first, so a URL goes before its own path) with "[redacted]". */
export function createRedactor(secrets: Iterable<string>): Redactor {
  // Very short values would blank out ordinary words; config schemas require real secrets anyway.
  const list = [...new Set([...secrets].filter((secret) => secret.length >= 4))].sort((a, b) => b.length - a.length);
  if (list.length === 0) return (text) => text;
  return (text) => {
    let out = text;
    for (const secret of list) out = out.split(secret).join('[redacted]');
    return out;
  };
}
