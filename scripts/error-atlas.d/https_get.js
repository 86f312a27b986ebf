// The Node.js client of scripts/error-atlas: https.get to tlsfault's SNI listener (Node 20 has
// no HTTPS_PROXY support), SNI and the name check on the scenario's host, the lab root as CA.
// Usage: node https_get.js URL SNI_PORT CA_FILE
const fs = require('fs');
const https = require('https');
const [url, port, ca] = process.argv.slice(2);
const target = new URL(url);
const request = https.get({host: '127.0.0.1', port: Number(port), servername: target.hostname, path: target.pathname + target.search,
                           headers: {Host: target.hostname}, ca: fs.readFileSync(ca), timeout: 30000}, (response) => {
  console.log(`HTTP ${response.statusCode}`);
  response.resume();
  response.on('end', () => process.exit(0));
  response.on('error', (e) => { console.error(`Error: ${e.code || ''} ${e.message}`); process.exit(1); });
});
request.on('timeout', () => { console.error('Error: timed out'); request.destroy(); process.exit(1); });
request.on('error', (e) => { console.error(`Error: ${e.code || ''} ${e.message}`); process.exit(1); });
