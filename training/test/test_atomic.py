"""Model files are replaced atomically: a failed write leaves the previous file byte for byte."""
import os
import subprocess
import sys
import tempfile
import unittest

from dxtrain.atomic import atomic_path, write_atomic


class AtomicWriteTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="dx-atomic-")
        self.path = os.path.join(self.dir, "encoder.card.json")
        with open(self.path, "w") as f:
            f.write('{"old": true}\n')

    def tearDown(self):
        for n in os.listdir(self.dir):
            os.remove(os.path.join(self.dir, n))
        os.rmdir(self.dir)

    def test_success_replaces_and_leaves_no_temporary(self):
        write_atomic(self.path, lambda f: f.write("new\n"))
        with open(self.path) as f:
            self.assertEqual(f.read(), "new\n")
        self.assertEqual(os.listdir(self.dir), ["encoder.card.json"])

    def test_exception_keeps_old_file(self):
        def boom(f):
            f.write("partial")
            raise RuntimeError("export failed")
        with self.assertRaises(RuntimeError):
            write_atomic(self.path, boom)
        with open(self.path) as f:
            self.assertEqual(f.read(), '{"old": true}\n')
        self.assertEqual(os.listdir(self.dir), ["encoder.card.json"])

    def test_file_size_limit_keeps_old_file(self):
        # A child under a 64 KiB file-size limit tries to write 1 MiB (torch.save/onnx
        # export of a big model on a full disk fail the same way: OSError mid-write).
        code = ("import resource, signal, sys\n"
                "signal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n"
                "resource.setrlimit(resource.RLIMIT_FSIZE, (65536, 65536))\n"
                "from dxtrain.atomic import write_atomic\n"
                "try:\n"
                "    write_atomic(sys.argv[1], lambda f: f.write(b'x' * (1 << 20)), 'wb')\n"
                "except OSError as e:\n"
                "    print('refused', e.errno)\n")
        env = dict(os.environ, PYTHONPATH=os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
        r = subprocess.run([sys.executable, "-c", code, self.path], env=env, capture_output=True, text=True)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("refused", r.stdout)
        with open(self.path) as f:
            self.assertEqual(f.read(), '{"old": true}\n')
        self.assertEqual(os.listdir(self.dir), ["encoder.card.json"])

    def test_mode_of_a_new_file_follows_the_umask(self):
        p = os.path.join(self.dir, "checkpoint.pt")
        with atomic_path(p) as tmp:
            with open(tmp, "wb") as f:
                f.write(b"\0")
        umask = os.umask(0)
        os.umask(umask)
        self.assertEqual(os.stat(p).st_mode & 0o777, 0o666 & ~umask)


if __name__ == "__main__":
    unittest.main()
