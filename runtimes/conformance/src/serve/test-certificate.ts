import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

let made: { key: string; cert: string } | undefined

/**
 * A self-signed certificate for 127.0.0.1 and localhost, made once per process with Debian's
 * `openssl` (a P-256 key: quick to make), for the HTTP/2 servers of the tests. Never for production.
 */
export function testCertificate(): { key: string; cert: string } {
  if (made !== undefined) return made
  const folder = mkdtempSync(join(tmpdir(), 'sluice-cert-'))
  try {
    const [key, cert] = [join(folder, 'key.pem'), join(folder, 'cert.pem')]
    execFileSync(
      'openssl',
      ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes']
        .concat(['-keyout', key, '-out', cert, '-days', '2', '-subj', '/CN=127.0.0.1'])
        .concat(['-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost']),
      { stdio: 'pipe' },
    )
    made = { key: readFileSync(key, 'utf8'), cert: readFileSync(cert, 'utf8') }
    return made
  } finally {
    rmSync(folder, { recursive: true, force: true })
  }
}
