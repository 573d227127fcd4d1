// Starts a real oidc-provider (npm) over HTTPS on 127.0.0.1 for the OAuth 2.0 auth-scheme tests.
// Environment: OIDC_CERT, OIDC_KEY (PEM files), OIDC_SECRET (client secret of every client).
// Prints one JSON line {"issuer": ..., "refresh_token_basic": ..., ...} once listening; runs until killed.
import fs from 'node:fs';
import https from 'node:https';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const modules = process.env.NODE_PATH;
const { default: Provider } = await import(pathToFileURL(path.join(modules, 'oidc-provider', 'lib', 'index.js')).href);
const secret = process.env.OIDC_SECRET;

const server = https.createServer({ cert: fs.readFileSync(process.env.OIDC_CERT), key: fs.readFileSync(process.env.OIDC_KEY) });
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const issuer = `https://127.0.0.1:${server.address().port}`;

const common = { client_secret: secret, redirect_uris: ['https://client.test/cb'], response_types: ['code'], scope: 'openid offline_access api:read' };
const provider = new Provider(issuer, {
  clients: [
    // A ':' and form-special characters in the id exercise RFC 6749 §2.3.1 encoding of client_secret_basic.
    { ...common, client_id: 'agent:vault basic', grant_types: ['client_credentials', 'refresh_token', 'authorization_code'], token_endpoint_auth_method: 'client_secret_basic' },
    { ...common, client_id: 'agent-vault-post', grant_types: ['client_credentials', 'refresh_token', 'authorization_code'], token_endpoint_auth_method: 'client_secret_post' },
    // A public client (no secret) identifies itself with client_id in the body.
    { redirect_uris: ['https://client.test/cb'], response_types: ['code'], scope: 'openid offline_access api:read', client_id: 'agent-vault-public', grant_types: ['refresh_token', 'authorization_code'], token_endpoint_auth_method: 'none' },
  ],
  scopes: ['openid', 'offline_access', 'api:read'],
  features: {
    clientCredentials: { enabled: true },
    introspection: { enabled: true },
    revocation: { enabled: true },
    resourceIndicators: {
      enabled: true,
      defaultResource: () => undefined,
      useGrantedResource: () => true,
      getResourceServerInfo: (ctx, resource) => ({ scope: 'api:read', audience: resource, accessTokenFormat: 'jwt', accessTokenTTL: 600 }),
    },
  },
  // Rotate on every use so the refresh-token scheme's rotation handling is exercised.
  rotateRefreshToken: () => true,
  ttl: { ClientCredentials: 600, AccessToken: 600, RefreshToken: 86400, Grant: 86400, Session: 86400, IdToken: 600, Interaction: 600 },
});
server.on('request', provider.callback());

// A refresh token as if a user had consented with offline_access (the interactive login is not what is tested here).
async function seedRefreshToken(clientId) {
  const client = await provider.Client.find(clientId);
  const grant = new provider.Grant({ accountId: 'user-1', clientId });
  grant.addOIDCScope('openid offline_access');
  const grantId = await grant.save();
  const token = new provider.RefreshToken({ accountId: 'user-1', client, grantId, scope: 'openid offline_access', gty: 'authorization_code', iat: Math.floor(Date.now() / 1000) });
  return token.save();
}

const refreshBasic = await seedRefreshToken('agent:vault basic');
const refreshBasic2 = await seedRefreshToken('agent:vault basic');
const refreshPost = await seedRefreshToken('agent-vault-post');
const refreshPublic = await seedRefreshToken('agent-vault-public');
process.stdout.write(JSON.stringify({
  issuer,
  refresh_token_basic: refreshBasic,
  refresh_token_basic_2: refreshBasic2,
  refresh_token_post: refreshPost,
  refresh_token_public: refreshPublic,
}) + '\n');
