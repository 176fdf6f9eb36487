#!/bin/sh
# make run: start sekishod on 127.0.0.1:8080 with its store in ./var.
set -eu
cd "$(dirname "$0")/.."
mkdir -p var
chmod 700 var
echo "sekisho: API endpoint http://127.0.0.1:8080 (ECS 2014-05-26, VPC 2016-04-28)"
if [ -n "${SEKISHO_ROOT_ACCESS_KEY_ID:-}" ]; then
  echo "sekisho: root AccessKey from SEKISHO_ROOT_ACCESS_KEY_ID"
else
  echo "sekisho: root credentials in $(pwd)/var/root-credentials.json (created on first start, mode 0600)"
fi
echo "sekisho: try  build/sekisho --credentials-file var/root-credentials.json ecs DescribeRegions"
echo "sekisho: Ctrl-C stops the server"
if [ "$(id -u)" = 0 ] && [ "${SEKISHO_NO_AGENT:-0}" != 1 ]; then
	# All-in-one: the local agent (root) enforces the groups in network
	# namespaces (host namespace sekisho-host; instances are namespaces
	# named by InstanceId); the server drops to nobody once it started.
	echo "sekisho: all-in-one: instances become network namespaces; try  ip netns list"
	exec build/sekishod --listen "${SEKISHO_LISTEN:-127.0.0.1:8080}" \
	    --data-dir var --all-in-one --user nobody \
	    --agent-args "--state-dir $(pwd)/var/agent"
fi
echo "sekisho: not root: API only (no enforcement agent)"
exec build/sekishod --listen "${SEKISHO_LISTEN:-127.0.0.1:8080}" --data-dir var
