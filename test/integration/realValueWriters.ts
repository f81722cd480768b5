import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/*
 * Values written by the real libraries applications use: Debian's Python 3 with redis-py, pickle, gzip, zlib, msgpack,
 * lz4, python-snappy and brotli writes straight into Redis; PHP's own serialize() prints its bytes; Java's ObjectOutputStream writes an object.
 */

/** Runs Python 3 (Debian's, where python3-redis and friends are installed) with REDIS_URL and DB in its environment. */
export function python(script: string, redisUrl: string, db: number): string {
  return execFileSync('/usr/bin/python3', ['-c', script], { env: { ...process.env, REDIS_URL: redisUrl, DB: String(db) }, encoding: 'utf8' });
}

/** PHP's serialize() of a PHP expression, as bytes. */
export function phpSerialize(expression: string, prelude = ''): Buffer {
  return execFileSync('/usr/bin/php', ['-r', `${prelude} echo serialize(${expression});`]);
}

/** The Python that writes the test values: each key names its writer. */
export const PYTHON_WRITERS = String.raw`
import os, gzip, zlib, json, pickle, datetime, redis, msgpack, lz4.frame, snappy, brotli
u = redis.connection.parse_url(os.environ['REDIS_URL'])
u['db'] = int(os.environ['DB'])
r = redis.Redis(**u)
doc = json.dumps({"user": "ada", "plan": "pro", "tags": ["a", "b"], "note": "värde ✓"}).encode()
r.set('py:gzip-json', gzip.compress(doc))
r.set('py:gzip-json-level6', gzip.compress(doc, compresslevel=6, mtime=0))
r.set('py:zlib-json', zlib.compress(doc))
r.set('py:brotli-json', brotli.compress(doc))
r.set('py:lz4-text', lz4.frame.compress(b'hello lz4 ' * 100))
r.set('py:snappy-text', snappy.compress(b'hello snappy ' * 50))
r.set('py:msgpack', msgpack.packb({"id": 7, "names": ["ada", "grace"], "raw": b"\x00\xff", "ok": True, "big": 2**40}))
r.set('py:gzip-msgpack', gzip.compress(msgpack.packb([1, "two", 3.5])))
class Account:
    def __init__(self):
        self.owner = 'ada'
        self.balance = 12.5
r.set('py:pickle', pickle.dumps({"user": "ada", "when": datetime.datetime(2024, 1, 2, 3, 4, 5), "n": 2**70, "b": b"\x00\xff", "s": {1, 2}, "t": (1, None, True), "acct": Account()}))
r.set('py:pickle0', pickle.dumps({"user": "ada", "n": [1, 2.5, "x"]}, protocol=0))
class Evil:
    def __reduce__(self):
        return (os.system, ('touch ' + os.environ['MARKER'],))
r.set('py:pickle-evil', pickle.dumps(Evil()))
r.set('py:zlib-pickle', zlib.compress(pickle.dumps(["compressed", "pickle"])))
print('written')
`;

/** Java's own ObjectOutputStream: an object of a class of the writer's (fields of several kinds, a list and a map) as bytes. */
export function javaSerialized(dir: string): Buffer {
  const source = join(dir, 'Writer.java');
  writeFileSync(source, String.raw`
import java.io.*;
import java.util.*;
public class Writer {
  static class Order implements Serializable {
    private static final long serialVersionUID = 7L;
    String id = "A-1 ✓";
    int quantity = 3;
    long totalCents = 4200000000L;
    boolean paid = true;
    List<String> tags = new ArrayList<>(List.of("gift", "express"));
    Map<String, Integer> stock = new TreeMap<>(Map.of("left", 2));
  }
  public static void main(String[] args) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) { out.writeObject(new Order()); }
    System.out.print(Base64.getEncoder().encodeToString(bytes.toByteArray()));
  }
}
`);
  return Buffer.from(execFileSync('/usr/bin/java', [source], { encoding: 'utf8', cwd: dir }), 'base64');
}
