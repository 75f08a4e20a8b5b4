"""homepage.py HOST NAME: Homepage's docker widget's calls through docker-py, against HOST (tcp://... or
unix://...): list every container, inspect the one named NAME, read one sample of its stats. Prints one
JSON line: what was read, or the error."""
import json
import sys

import docker


def main():
    host, name = sys.argv[1], sys.argv[2]
    client = docker.DockerClient(base_url=host, version="1.41", timeout=60)
    try:
        listed = [c.name for c in client.containers.list(all=True)]
        container = client.containers.get(name)
        stats = container.stats(stream=False)
        print(json.dumps({"listed": listed, "status": container.attrs["State"]["Status"],
                          "memory": stats.get("memory_stats", {}).get("usage", 0),
                          "cpu": stats.get("cpu_stats", {}).get("cpu_usage", {}).get("total_usage", 0)}))
    except docker.errors.APIError as e:
        print(json.dumps({"error": str(e), "status_code": e.status_code}))


if __name__ == "__main__":
    main()
