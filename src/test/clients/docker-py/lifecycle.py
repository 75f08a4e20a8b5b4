#!/usr/bin/env python3
"""lifecycle.py BASE_URL CALL ARG...: one call through docker-py's object API, the way applications use it.

  start C | stop C SECONDS | restart C SECONDS | kill C SIGNAL | wait C | tag IMAGE REPO TAG | version

wait prints the container's exit code; version prints docker-py's version and the interpreter. Any error
is printed on stderr with exit status 1. Run by dockgate's LifecycleCallsIT.
"""
import sys

import docker

base_url, call, args = sys.argv[1], sys.argv[2], sys.argv[3:]
if call == "version":
    print(docker.__version__, sys.executable)
    sys.exit(0)
client = docker.DockerClient(base_url=base_url, timeout=60)
if call == "tag":
    image, repo, tag = args
    if not client.images.get(image).tag(repo, tag):
        sys.exit("tag answered false")
    sys.exit(0)
container = client.containers.get(args[0])
if call == "start":
    container.start()
elif call == "stop":
    container.stop(timeout=int(args[1]))
elif call == "restart":
    container.restart(timeout=int(args[1]))
elif call == "kill":
    container.kill(signal=args[1])
elif call == "wait":
    print(container.wait()["StatusCode"])
else:
    sys.exit("unknown call " + call)
