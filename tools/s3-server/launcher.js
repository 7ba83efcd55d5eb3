'use strict';
// Starts the s3rver S3-compatible server for local development and the test suite, and works around the two
// s3rver 4.0.4 bugs that break the Minio .NET SDK (see ../../README.md, "Reference data in S3").
//
// Usage: node launcher.js --port <n> --directory <path> [--address 127.0.0.1]
// Credentials come from MINIO_ROOT_USER / MINIO_ROOT_PASSWORD (as with MinIO), never from the command line,
// so they do not show in process listings. Prints one line "S3 server ready on http://<address>:<port>" once
// it accepts requests; stops on SIGTERM or SIGINT.

const fs = require('fs');
const S3rver = require('@20minutes/s3rver');
const AWSAccount = require('@20minutes/s3rver/lib/models/account');

// s3rver tags ListBuckets/ListObjects replies with a namespace S3 never used; strict XML readers (the Minio SDK)
// then find no elements and report an empty list without any error.
const WRONG_NAMESPACE = 'http://doc.s3.amazonaws.com/2006-03-01/';
const S3_NAMESPACE = 'http://s3.amazonaws.com/doc/2006-03-01/';
// A path-style bucket request with a trailing slash ("/bucket/"): SDKs sign that path, s3rver verifies "/bucket".
const BUCKET_WITH_SLASH = /^\/[^/]+\/$/;

function parseArgs(argv) {
  const options = { address: '127.0.0.1', port: 0, directory: '' };
  for (let i = 0; i < argv.length; i += 2) {
    const name = argv[i].replace(/^--/, '');
    if (!(name in options) || i + 1 >= argv.length) {
      throw new Error(`unknown or incomplete option ${argv[i]}`);
    }
    options[name] = name === 'port' ? Number(argv[i + 1]) : argv[i + 1];
  }
  if (!options.directory) throw new Error('--directory is required');
  return options;
}

function configureCredentials() {
  const user = process.env.MINIO_ROOT_USER;
  const password = process.env.MINIO_ROOT_PASSWORD;
  if (!user || !password) return;
  // Replace s3rver's built-in key pair so only the configured credentials are accepted.
  AWSAccount.DUMMY_ACCOUNT.revokeAccessKey('S3RVER');
  AWSAccount.DUMMY_ACCOUNT.createKeyPair(user, password);
}

function fixNamespace() {
  return async (ctx, next) => {
    await next();
    if (typeof ctx.body === 'string' && ctx.body.includes(WRONG_NAMESPACE)) {
      ctx.body = ctx.body.split(WRONG_NAMESPACE).join(S3_NAMESPACE);
    }
  };
}

function signBucketPathWithSlash() {
  return (ctx, next) => {
    if (!ctx.state.vhost && BUCKET_WITH_SLASH.test(ctx.path)) {
      // s3rver builds the canonical URI as "/" + bucket + mountPath for virtual-host requests, so this yields
      // exactly the "/bucket/" the client signed without touching routing.
      ctx.state.vhost = true;
      ctx.mountPath = '/';
    }
    return next();
  };
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  fs.mkdirSync(options.directory, { recursive: true });
  configureCredentials();
  const server = new S3rver({
    address: options.address,
    port: options.port,
    directory: options.directory,
    silent: true,
    vhostBuckets: false,
  });
  // Koa composes its middleware list when the server starts listening, so inserting here is enough:
  // the namespace fix wraps the XML encoder (second in the list), the path fix runs just before the router (last).
  server.middleware.splice(1, 0, fixNamespace());
  server.middleware.splice(server.middleware.length - 1, 0, signBucketPathWithSlash());
  const address = await server.run();
  console.log(`S3 server ready on http://${address.address}:${address.port}`);
  const stop = () => server.close().finally(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((err) => {
  console.error(`S3 server failed: ${err.message}`);
  process.exit(1);
});
