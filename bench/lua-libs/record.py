"""Records the replies of bench/lua-libs/cases.py from redis-server 7.0.15 and writes
tests/Scripting/LibraryTests.cs from them. Usage: record.py [port] (redis-server on 127.0.0.1)."""
import os
import re
import sys

from cases import HEX, THEORIES
from resp import ROOT, redis_replies, sha1

# Settings every case must leave as it found them (see cases.py).
SETTINGS = ("return {cjson.encode_max_depth(), cjson.decode_max_depth(), cjson.encode_number_precision(), "
            "tostring(cjson.encode_invalid_numbers()), tostring(cjson.decode_invalid_numbers()), "
            "tostring(cjson.encode_keep_buffer()), tostring(cjson.encode_sparse_array())}")
DEFAULTS = b'*7\r\n:1000\r\n:1000\r\n:14\r\n$5\r\nfalse\r\n$4\r\ntrue\r\n$4\r\ntrue\r\n$5\r\nfalse\r\n'


def cs(text, prefix=True):
    """A C# string literal; Hex + literal for scripts that start with the hex helper."""
    if prefix and text.startswith(HEX):
        return 'Hex + ' + cs(text[len(HEX):])
    special = {'\\': '\\\\', '"': '\\"', '\r': '\\r', '\n': '\\n', '\t': '\\t', '\0': '\\0'}
    out = ''.join(special.get(ch) or (ch if 32 <= ord(ch) < 127 else
                                      '\\u%04x' % ord(ch) if ord(ch) <= 0xffff else '\\U%08x' % ord(ch))
                  for ch in text)
    return '"' + out + '"'


def theory(name, kind, rows, method):
    lines = ['    [Theory]']
    lines += ['    [InlineData(%s, %s)]' % (cs(script), cs(value)) for script, value in rows]
    lines.append('    public void %s_%s(string script, string %s) => %s(script, %s);' % (
        name, kind, 'expected' if method == 'AssertReply' else 'message', method,
        'expected' if method == 'AssertReply' else 'message'))
    return '\n'.join(lines)


def main():
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 6391
    if redis_replies([SETTINGS], port)[0] != DEFAULTS:
        sys.exit('cjson settings are not the defaults: restart redis-server first')
    blocks = []
    for name, scripts in THEORIES:
        replies, errors = [], []
        for script, reply in zip(scripts, redis_replies(scripts, port)):
            try:
                text = reply.decode('utf-8')
            except UnicodeDecodeError:
                sys.exit('RawRespClient reads replies as UTF-8: return hex(...) instead in %r' % script)
            error = re.fullmatch(r'-(.*) script: ([0-9a-f]{40}), on @user_script:1\.\r\n', text, re.S)
            if error and error.group(2) == sha1(script):
                errors.append((script, error.group(1)))
            else:
                replies.append((script, text))
        if replies:
            blocks.append(theory(name, 'replies', replies, 'AssertReply'))
        if errors:
            blocks.append(theory(name, 'errors', errors, 'AssertError'))
    if redis_replies([SETTINGS], port)[0] != DEFAULTS:
        sys.exit('a case left a cjson setting changed: fix it in cases.py')
    with open(os.path.join(os.path.dirname(__file__), 'LibraryTests.cs.in')) as f:
        template = f.read()
    text = template.replace('@HEX@', cs(HEX, prefix=False)).replace('@THEORIES@', '\n\n'.join(blocks))
    with open(os.path.join(ROOT, 'tests', 'Scripting', 'LibraryTests.cs'), 'w') as f:
        f.write(text)
    print('%d cases recorded' % sum(len(s) for _, s in THEORIES))


if __name__ == '__main__':
    main()
