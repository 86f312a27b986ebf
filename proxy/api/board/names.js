// IANA names for the numbers a ClientHello carries (the common ones; others stay numbers).
const CIPHERS = {
  0x1301: 'TLS_AES_128_GCM_SHA256', 0x1302: 'TLS_AES_256_GCM_SHA384', 0x1303: 'TLS_CHACHA20_POLY1305_SHA256',
  0xc02b: 'ECDHE-ECDSA-AES128-GCM-SHA256', 0xc02c: 'ECDHE-ECDSA-AES256-GCM-SHA384', 0xc02f: 'ECDHE-RSA-AES128-GCM-SHA256',
  0xc030: 'ECDHE-RSA-AES256-GCM-SHA384', 0xcca8: 'ECDHE-RSA-CHACHA20-POLY1305', 0xcca9: 'ECDHE-ECDSA-CHACHA20-POLY1305',
  0xc009: 'ECDHE-ECDSA-AES128-SHA', 0xc00a: 'ECDHE-ECDSA-AES256-SHA', 0xc013: 'ECDHE-RSA-AES128-SHA', 0xc014: 'ECDHE-RSA-AES256-SHA',
  0x009c: 'AES128-GCM-SHA256', 0x009d: 'AES256-GCM-SHA384', 0x002f: 'AES128-SHA', 0x0035: 'AES256-SHA', 0x00ff: 'EMPTY_RENEGOTIATION_INFO_SCSV',
};
const GROUPS = { 23: 'secp256r1', 24: 'secp384r1', 25: 'secp521r1', 29: 'x25519', 30: 'x448', 256: 'ffdhe2048', 257: 'ffdhe3072',
  258: 'ffdhe4096', 4588: 'X25519MLKEM768', 25497: 'X25519Kyber768Draft00' };

function hex(n) { return '0x' + n.toString(16).padStart(4, '0'); }
function isGrease(n) { return (n & 0x0f0f) === 0x0a0a && (n >> 8) === (n & 0xff); }

/** "TLS_AES_128_GCM_SHA256", "GREASE", or "0x1234". */
export function cipherName(n) { return isGrease(n) ? 'GREASE' : CIPHERS[n] || hex(n); }
/** "x25519", "GREASE", or the number. */
export function groupName(n) { return isGrease(n) ? 'GREASE' : GROUPS[n] || String(n); }
