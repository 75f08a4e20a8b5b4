// node lifecycle.js HOST:PORT CALL ARG...: one call through dockerode, with its options object, as
// applications write it (dockerode then also sends the options as a JSON body).
//
//   start C | stop C SECONDS | restart C SECONDS | kill C SIGNAL | wait C | tag IMAGE REPO TAG | version
//
// wait prints the container's exit code. Any error is printed on stderr with exit status 1.
// Run by dockgate's LifecycleCallsIT, with NODE_PATH pointing at the modules npm ci installed.
'use strict';
const Docker = require('dockerode');

const [endpoint, call, ...args] = process.argv.slice(2);
const colon = endpoint.lastIndexOf(':');
const docker = new Docker({ host: endpoint.slice(0, colon), port: Number(endpoint.slice(colon + 1)), timeout: 60000 });

const calls = {
  version: async () => require('dockerode/package.json').version,
  start: async (c) => { await docker.getContainer(c).start(); },
  stop: async (c, t) => { await docker.getContainer(c).stop({ t: Number(t) }); },
  restart: async (c, t) => { await docker.getContainer(c).restart({ t: Number(t) }); },
  kill: async (c, signal) => { await docker.getContainer(c).kill({ signal }); },
  wait: async (c) => (await docker.getContainer(c).wait({ condition: 'not-running' })).StatusCode,
  tag: async (image, repo, tag) => { await docker.getImage(image).tag({ repo, tag }); },
};

if (!calls[call]) {
  console.error('unknown call ' + call);
  process.exit(1);
}
calls[call](...args).then(
  (out) => { if (out !== undefined) console.log(String(out)); },
  (err) => { console.error(err.message || String(err)); process.exit(1); });
