'use strict';
// Agent Vault: route a Node.js program through the broker's proxy on Node versions that ignore NODE_USE_ENV_PROXY
// (Node 20, and Node 22 before 22.21). `agent-vault run` and `agent-vault env` add `--require <this file>` to
// NODE_OPTIONS. Only Node built-ins are used.
//
// - http and https: Agent.prototype.createConnection of both modules is wrapped, so the global agents and every agent
//   that uses the default connection (keep-alive agents of SDKs included) open a CONNECT tunnel through the proxy
//   (Proxy-Authorization from the proxy URL's user info) for a host NO_PROXY does not exclude. https targets then speak
//   TLS to the target inside the tunnel (servername = target host, normal verification: NODE_EXTRA_CA_CERTS adds the
//   broker CA); http:// targets are sent as plain HTTP inside a CONNECT tunnel too (not as absolute-form requests).
// - fetch: a dispatcher with the undici v6 Dispatcher interface is installed as the global dispatcher of Node's
//   bundled undici; it performs each request with http/https.request, so it takes the same tunnels.
//
// It does nothing when the running Node honours NODE_USE_ENV_PROXY itself (Node >= 24.5, >= 22.21), or when neither
// HTTPS_PROXY nor HTTP_PROXY is set.

const http = require('http');
const https = require('https');
const net = require('net');
const tls = require('tls');
const { EventEmitter } = require('events');

const loadedMark = Symbol.for('agent-vault.node-proxy-preload');
const undiciGlobalDispatcher = Symbol.for('undici.globalDispatcher.1');

function environment(name) {
  const value = process.env[name] ?? process.env[name.toLowerCase()];
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

function nodeHonoursEnvProxy() {
  const options = https.globalAgent && https.globalAgent.options;
  return Boolean(options && options.proxyEnv);
}

/** A proxy from HTTPS_PROXY or HTTP_PROXY: where to connect and the Proxy-Authorization value (or undefined). */
function parseProxy(text) {
  if (!text) {
    return undefined;
  }

  let url;
  try {
    url = new URL(text.includes('://') ? text : `http://${text}`);
  } catch {
    process.emitWarning('agent-vault: the proxy URL in HTTPS_PROXY/HTTP_PROXY is not a URL; requests are not proxied');
    return undefined;
  }

  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    process.emitWarning(`agent-vault: proxy scheme ${url.protocol} is not supported; requests are not proxied`);
    return undefined;
  }

  const secure = url.protocol === 'https:';
  const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  const port = Number(url.port) || (secure ? 443 : 80);
  let authorization;
  if (url.username !== '' || url.password !== '') {
    const credentials = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
    authorization = `Basic ${Buffer.from(credentials, 'utf8').toString('base64')}`;
  }

  return { secure, host, port, authorization };
}

/** NO_PROXY: comma (or space) separated; `*`, a host (and its subdomains), `.suffix` or `*.suffix`, each with an optional `:port`. */
function parseNoProxy(text) {
  return (text || '')
    .split(/[\s,]+/)
    .filter(Boolean)
    .map(entry => {
      let host = entry.toLowerCase();
      let port = 0;
      const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(host);
      if (bracketed) {
        host = bracketed[1];
        port = Number(bracketed[2] || 0);
      } else {
        const hostPort = /^([^:]+):(\d+)$/.exec(host);
        if (hostPort) {
          host = hostPort[1];
          port = Number(hostPort[2]);
        }
      }

      if (host.startsWith('*.')) {
        host = host.slice(1);
      }

      return { host, port };
    });
}

function normaliseHost(host) {
  const text = String(host || '').toLowerCase();
  const unbracketed = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  return unbracketed.endsWith('.') ? unbracketed.slice(0, -1) : unbracketed;
}

function excludedByNoProxy(rules, host, port) {
  const name = normaliseHost(host);
  return rules.some(rule => {
    if (rule.port !== 0 && rule.port !== port) {
      return false;
    }

    if (rule.host === '*') {
      return true;
    }

    if (rule.host.startsWith('.')) {
      return name.endsWith(rule.host) || name === rule.host.slice(1);
    }

    return name === rule.host || (!net.isIP(name) && name.endsWith(`.${rule.host}`));
  });
}

function hostForConnect(host) {
  return net.isIPv6(host) ? `[${host}]` : host;
}

/** Opens a CONNECT tunnel to host:port through the proxy and calls back with the raw socket. */
function openTunnel(proxy, host, port, callback) {
  const target = `${hostForConnect(host)}:${port}`;
  const headers = { host: target };
  if (proxy.authorization) {
    headers['proxy-authorization'] = proxy.authorization;
  }

  let settled = false;
  const settle = (error, socket) => {
    if (!settled) {
      settled = true;
      callback(error, socket);
    }
  };

  const request = http.request({
    method: 'CONNECT',
    path: target,
    headers,
    setHost: false,
    // The connection to the proxy itself, made here so that it never goes through the wrapped createConnection.
    createConnection: () => proxy.secure
      ? tls.connect({ host: proxy.host, port: proxy.port, servername: net.isIP(proxy.host) ? undefined : proxy.host })
      : net.connect({ host: proxy.host, port: proxy.port }),
  });

  request.once('connect', (response, socket, head) => {
    if (response.statusCode !== 200) {
      socket.destroy();
      const detail = head && head.length ? `: ${head.toString('utf8', 0, Math.min(head.length, 512)).trim()}` : '';
      const error = new Error(`the proxy refused the tunnel to ${target}: ${response.statusCode} ${response.statusMessage || ''}`.trim() + detail);
      error.code = 'ERR_PROXY_TUNNEL';
      error.statusCode = response.statusCode;
      settle(error);
      return;
    }

    if (head && head.length) {
      socket.unshift(head);
    }

    settle(null, socket);
  });
  request.once('error', error => {
    const wrapped = new Error(`cannot reach the proxy at ${hostForConnect(proxy.host)}:${proxy.port} for ${target}: ${error.message}`);
    wrapped.code = 'ERR_PROXY_TUNNEL';
    wrapped.cause = error;
    settle(wrapped);
  });
  request.end();
}

/** The proxy (or undefined) for a request of an agent of the given protocol to host:port. */
function proxyFor(settings, secure, host, port) {
  const proxy = secure ? settings.httpsProxy : settings.httpProxy;
  if (!proxy || !host) {
    return undefined;
  }

  const name = normaliseHost(host);
  if (name === normaliseHost(proxy.host) && port === proxy.port) {
    return undefined;
  }

  return excludedByNoProxy(settings.noProxy, name, port) ? undefined : proxy;
}

/** Wraps Agent.prototype.createConnection of http and https so that proxied hosts get a tunnel. */
function wrapAgents(settings) {
  const originalHttp = http.Agent.prototype.createConnection;
  const originalHttps = https.Agent.prototype.createConnection;

  function wrap(original, secure) {
    return function createConnection(options, callback) {
      const port = Number(options && options.port) || (secure ? 443 : 80);
      const host = options && (options.host || options.hostname);
      const proxy = options && !options.socketPath && typeof callback === 'function' ? proxyFor(settings, secure, host, port) : undefined;
      if (!proxy) {
        return original.apply(this, arguments);
      }

      openTunnel(proxy, normaliseHost(host), port, (error, socket) => {
        if (error) {
          callback(error);
          return;
        }

        if (!secure) {
          callback(null, socket);
          return;
        }

        let tlsSocket;
        try {
          // https.Agent's own createConnection: TLS session reuse, servername from the request, the caller's TLS options.
          tlsSocket = originalHttps.call(this, { ...options, socket, host: normaliseHost(host), port });
        } catch (e) {
          socket.destroy();
          callback(e);
          return;
        }

        callback(null, tlsSocket);
      });
      return undefined;
    };
  }

  http.Agent.prototype.createConnection = wrap(originalHttp, false);
  https.Agent.prototype.createConnection = wrap(originalHttps, true);
}

/** Request headers of an undici dispatch (object, flat array or array of pairs) as an object of name -> value(s). */
function requestHeaders(headers) {
  const result = {};
  const add = (name, value) => {
    if (value === undefined || value === null) {
      return;
    }

    const key = String(name).toLowerCase();
    const values = Array.isArray(value) ? value.map(String) : [String(value)];
    result[key] = key in result ? [].concat(result[key], values) : (values.length === 1 ? values[0] : values);
  };

  if (!headers) {
    return result;
  }

  if (Array.isArray(headers)) {
    if (headers.length > 0 && Array.isArray(headers[0])) {
      for (const [name, value] of headers) {
        add(name, value);
      }
    } else {
      for (let i = 0; i + 1 < headers.length; i += 2) {
        add(headers[i], headers[i + 1]);
      }
    }
  } else if (typeof headers[Symbol.iterator] === 'function' && typeof headers.entries === 'function' && !(headers.constructor === Object)) {
    for (const [name, value] of headers) {
      add(name, value);
    }
  } else {
    for (const name of Object.keys(headers)) {
      add(name, headers[name]);
    }
  }

  return result;
}

function rawHeaderBuffers(raw) {
  return (raw || []).map(value => Buffer.from(String(value), 'latin1'));
}

function bodyChunk(chunk) {
  return typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
}

function abortError() {
  const error = new Error('The operation was aborted.');
  error.name = 'AbortError';
  error.code = 'UND_ERR_ABORTED';
  return error;
}

/**
 * A minimal undici v6 Dispatcher: dispatch(opts, handler) with the handler's onConnect, onHeaders, onData, onComplete,
 * onError (and onUpgrade, onResponseStarted, onBodySent when present), over http/https.request.
 */
class ProxyDispatcher extends EventEmitter {
  constructor() {
    super();
    this.agents = {
      'http:': new http.Agent({ keepAlive: true }),
      'https:': new https.Agent({ keepAlive: true }),
    };
    this.closed = false;
    this.destroyed = false;
  }

  dispatch(opts, handler) {
    if (!handler || typeof handler !== 'object') {
      throw new TypeError('handler must be an object');
    }

    const exchange = new Exchange(this, opts, handler);
    process.nextTick(() => exchange.start());
    return true;
  }

  close(callback) {
    this.closed = true;
    for (const agent of Object.values(this.agents)) {
      agent.destroy();
    }

    if (typeof callback === 'function') {
      process.nextTick(callback, null, null);
      return undefined;
    }

    return Promise.resolve();
  }

  destroy(error, callback) {
    if (typeof error === 'function') {
      callback = error;
    }

    this.destroyed = true;
    return this.close(callback);
  }
}

/** One dispatched request: the handler's callbacks are called in order, and nothing after onComplete or onError. */
class Exchange {
  constructor(dispatcher, opts, handler) {
    this.dispatcher = dispatcher;
    this.opts = opts || {};
    this.handler = handler;
    this.request = undefined;
    this.response = undefined;
    this.finished = false;
  }

  fail(error) {
    if (this.finished) {
      return;
    }

    this.finished = true;
    if (this.request) {
      this.request.destroy();
    }

    if (this.response) {
      this.response.destroy();
    }

    this.handler.onError(error);
  }

  abort(reason) {
    this.fail(reason instanceof Error ? reason : (reason === undefined ? abortError() : reason));
  }

  start() {
    try {
      this.begin();
    } catch (error) {
      this.fail(error);
    }
  }

  begin() {
    const { opts, handler } = this;
    if (this.dispatcher.closed || this.dispatcher.destroyed) {
      throw new Error('the dispatcher is closed');
    }

    if (String(opts.method).toUpperCase() === 'CONNECT') {
      throw new Error('CONNECT requests are not supported by the agent-vault dispatcher');
    }

    const url = new URL(opts.path || '/', opts.origin);
    if (opts.query && typeof opts.query === 'object') {
      for (const [name, value] of Object.entries(opts.query)) {
        url.searchParams.append(name, String(value));
      }
    }

    const agent = this.dispatcher.agents[url.protocol];
    if (!agent) {
      throw new Error(`unsupported protocol ${url.protocol}`);
    }

    if (typeof handler.onConnect === 'function') {
      handler.onConnect(reason => this.abort(reason));
    }

    if (this.finished) {
      return;
    }

    if (opts.signal && typeof opts.signal.addEventListener === 'function') {
      if (opts.signal.aborted) {
        this.abort(opts.signal.reason);
        return;
      }

      opts.signal.addEventListener('abort', () => this.abort(opts.signal.reason), { once: true });
    }

    const headers = requestHeaders(opts.headers);
    if (opts.upgrade) {
      headers.connection = 'upgrade';
      headers.upgrade = String(opts.upgrade);
    }

    const transport = url.protocol === 'https:' ? https : http;
    const request = transport.request({
      protocol: url.protocol,
      hostname: url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname,
      port: url.port || undefined,
      path: url.pathname + url.search,
      method: opts.method || 'GET',
      headers,
      agent,
    });
    this.request = request;

    request.on('response', response => this.onResponse(response));
    request.on('upgrade', (response, socket, head) => this.onUpgrade(response, socket, head));
    request.on('error', error => this.fail(error));
    this.sendBody(request, opts.body).catch(error => this.fail(error));
  }

  async sendBody(request, body) {
    const sent = chunk => {
      if (typeof this.handler.onBodySent === 'function') {
        this.handler.onBodySent(chunk);
      }
    };

    if (body === undefined || body === null) {
      request.end();
      return;
    }

    if (typeof body === 'string' || body instanceof Uint8Array) {
      const chunk = bodyChunk(body);
      request.end(chunk);
      sent(chunk);
      return;
    }

    if (body instanceof ArrayBuffer) {
      const chunk = Buffer.from(body);
      request.end(chunk);
      sent(chunk);
      return;
    }

    let iterable = body;
    if (typeof body[Symbol.asyncIterator] !== 'function' && typeof body[Symbol.iterator] !== 'function' && typeof body.stream === 'function') {
      iterable = body.stream();
    }

    if (typeof iterable[Symbol.asyncIterator] !== 'function' && typeof iterable[Symbol.iterator] !== 'function') {
      throw new TypeError('unsupported request body');
    }

    for await (const piece of iterable) {
      if (this.finished) {
        return;
      }

      const chunk = bodyChunk(piece);
      if (!request.write(chunk)) {
        await new Promise(resolve => {
          const done = () => {
            request.off('drain', done);
            request.off('close', done);
            resolve();
          };
          request.on('drain', done);
          request.on('close', done);
        });
      }

      sent(chunk);
    }

    if (!this.finished) {
      request.end();
    }
  }

  onResponse(response) {
    if (this.finished) {
      response.destroy();
      return;
    }

    this.response = response;
    const { handler } = this;
    if (typeof handler.onResponseStarted === 'function') {
      handler.onResponseStarted();
    }

    const resume = () => response.resume();
    if (handler.onHeaders(response.statusCode, rawHeaderBuffers(response.rawHeaders), resume, response.statusMessage || '') === false) {
      response.pause();
    }

    response.on('data', chunk => {
      if (!this.finished && handler.onData(chunk) === false) {
        response.pause();
      }
    });
    response.on('end', () => {
      if (!this.finished) {
        this.finished = true;
        handler.onComplete(rawHeaderBuffers(response.rawTrailers));
      }
    });
    response.on('aborted', () => this.fail(new Error('the response was cut off')));
    response.on('error', error => this.fail(error));
    response.on('close', () => {
      if (!this.finished && !response.complete) {
        this.fail(new Error('the connection closed before the response ended'));
      }
    });
  }

  onUpgrade(response, socket, head) {
    if (this.finished) {
      socket.destroy();
      return;
    }

    this.finished = true;
    if (head && head.length) {
      socket.unshift(head);
    }

    if (typeof this.handler.onUpgrade !== 'function') {
      socket.destroy();
      this.handler.onError(new Error('the server upgraded the connection, but the caller did not ask for it'));
      return;
    }

    this.handler.onUpgrade(response.statusCode, rawHeaderBuffers(response.rawHeaders), socket);
  }
}

function install() {
  if (globalThis[loadedMark]) {
    return;
  }

  Object.defineProperty(globalThis, loadedMark, { value: true, enumerable: false });
  if (nodeHonoursEnvProxy()) {
    return;
  }

  const settings = {
    httpsProxy: parseProxy(environment('HTTPS_PROXY')),
    httpProxy: parseProxy(environment('HTTP_PROXY')),
    noProxy: parseNoProxy(environment('NO_PROXY')),
  };
  if (!settings.httpsProxy && !settings.httpProxy) {
    return;
  }

  wrapAgents(settings);
  if (globalThis[undiciGlobalDispatcher] === undefined) {
    Object.defineProperty(globalThis, undiciGlobalDispatcher, {
      value: new ProxyDispatcher(),
      writable: true,
      enumerable: false,
      configurable: false,
    });
  }
}

install();
