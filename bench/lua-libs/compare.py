"""Runs bench/lua-libs/cases.py on redis-server and on the lua5.4 harness and prints the cases
whose raw replies differ. Usage: compare.py [port] (redis-server on 127.0.0.1)."""
import sys

from cases import THEORIES
from resp import harness_replies, redis_replies


def main():
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 6391
    scripts = [script for _, group in THEORIES for script in group]
    differ = 0
    for script, expected, actual in zip(scripts, redis_replies(scripts, port), harness_replies(scripts)):
        if expected != actual:
            differ += 1
            print('script  %r\nredis   %r\nharness %r\n' % (script, expected[:300], actual[:300]))
    print('%d passed, %d failed' % (len(scripts) - differ, differ))


if __name__ == '__main__':
    main()
