// Starts a real oidc-provider (npm) over HTTPS on 127.0.0.1 as the identity provider people sign in with (SPEC §14).
// Environment: OIDC_CERT, OIDC_KEY (PEM files), OIDC_SECRET (the broker's client secret), OIDC_PEOPLE (JSON: email -> groups).
// Any email signs in with any password (oidc-provider's development login page); an email starting with "unverified"
// has email_verified: false. Prints one JSON line {"issuer": ...} once listening; runs until killed.
import fs from 'node:fs';
import https from 'node:https';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const modules = process.env.NODE_PATH;
const { default: Provider } = await import(pathToFileURL(path.join(modules, 'oidc-provider', 'lib', 'index.js')).href);
const people = JSON.parse(process.env.OIDC_PEOPLE || '{}');

const server = https.createServer({ cert: fs.readFileSync(process.env.OIDC_CERT), key: fs.readFileSync(process.env.OIDC_KEY) });
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const issuer = `https://127.0.0.1:${server.address().port}`;

const provider = new Provider(issuer, {
  clients: [
    {
      // A native application: RFC 8252 lets its loopback redirect use any port, so the broker's port (picked at start) fits.
      client_id: 'agent-vault',
      client_secret: process.env.OIDC_SECRET,
      application_type: 'native',
      redirect_uris: ['http://127.0.0.1/signin-oidc'],
      response_types: ['code'],
      grant_types: ['authorization_code', 'urn:ietf:params:oauth:grant-type:device_code'],
      token_endpoint_auth_method: 'client_secret_basic',
    },
  ],
  scopes: ['openid', 'email', 'profile'],
  claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['groups', 'name'] },
  features: {
    devInteractions: { enabled: true },
    deviceFlow: { enabled: true },
  },
  pkce: { required: () => true },
  findAccount: (ctx, id) => ({
    accountId: id,
    claims: () => ({ sub: id, email: id, email_verified: !id.startsWith('unverified'), groups: people[id] ?? [], name: id }),
  }),
  ttl: { AccessToken: 600, AuthorizationCode: 120, DeviceCode: 600, Grant: 3600, IdToken: 600, Interaction: 600, Session: 3600 },
});
provider.on('server_error', (ctx, err) => process.stderr.write(`server_error: ${err.stack}\n`));
server.on('request', provider.callback());
process.stdout.write(JSON.stringify({ issuer }) + '\n');
