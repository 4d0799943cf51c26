#!/usr/bin/env python3
"""layers_fixtures test: scripts/check_layers.py against the fake core/ trees in layers/.

Runs the script as ctest does (a subprocess, judged by its exit status and output), so the
command line and the exit codes are tested along with the rule. Each kind of violation has
its own line in `violations/`; `clean/` uses every allowed form and must pass, and a copy
of it with one bad include added must fail, so the pass cannot be vacuous.

    python3 scripts/tests/test_check_layers.py [-v]
"""
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
SCRIPT = os.path.join(HERE, '..', 'check_layers.py')
FIXTURES = os.path.join(HERE, 'layers')


def run(core, cwd=None):
    p = subprocess.run([sys.executable, SCRIPT, core], capture_output=True, text=True,
                       cwd=cwd)
    return p.returncode, p.stdout.splitlines(), p.stderr


class Layers(unittest.TestCase):
    def test_clean_tree_passes(self):
        rc, out, err = run(os.path.join(FIXTURES, 'clean', 'core'))
        self.assertEqual((rc, err), (0, ''), out)
        self.assertEqual(len(out), 1)
        self.assertIn('layers: OK', out[0])

    def test_each_violation_is_reported_with_its_line(self):
        rc, out, err = run(os.path.join(FIXTURES, 'violations', 'core'))
        self.assertEqual(rc, 1, err)
        msg = 'core/kernel/msg.c:{}: #include {}: {}'.format
        self.assertEqual(out, [
            'core/stray.c: a source directly in core/: it belongs in a layer folder '
            '(only CMakeLists.txt and README.md stay)',
            'core/stray.h: a source directly in core/: it belongs in a layer folder '
            '(only CMakeLists.txt and README.md stay)',
            'core/base/alloc.c:2: #include "kernel/msg.h": kernel/ (level 1) is above base/ '
            '(level 0)',
            'core/base/alloc.h:1: #include "queue/mpsc.h": queue/ is at the same level (0) as '
            'base/: siblings may not include each other',
            'core/extra/: folder missing from the layers table of core/README.md',
            msg(2, '"../base/alloc.h"',
                'a relative ../ path: name the folder instead ("<folder>/<name>.h")'),
            msg(3, '"stray.h"', 'core/stray.h sits directly in core/, outside every layer'),
            msg(4, '"actor/send.h"', 'actor/ (level 2) is above kernel/ (level 1)'),
            msg(5, '"nosuch/x.h"',
                'unknown folder nosuch/ (not in core/, not in the layers table)'),
            msg(6, '"extra/e.h"',
                'folder extra/ is missing from the layers table of core/README.md'),
            msg(7, '<base/alloc.h>', 'a core/base/ header must be included with quotes: '
                '"base/alloc.h"'),
            msg(8, '"missing.h"', 'no missing.h next to this file: another folder\'s header is '
                '"<folder>/missing.h"'),
            msg(9, '"/usr/include/stdio.h"',
                'an absolute path: name the folder instead ("<folder>/<name>.h")'),
            msg(10, '"akt/akt.h"', 'a public header is included as <akt/akt.h>'),
            msg(11, 'KERNEL_CONFIG',
                'not a "file" or <file> include: the check cannot see what it names'),
        ])
        self.assertIn('15 violation(s)', err)

    def test_verdict_does_not_depend_on_the_working_directory(self):
        core = os.path.join(FIXTURES, 'violations', 'core')
        self.assertEqual(run(core)[:2], run(os.path.abspath(core), cwd=tempfile.gettempdir())[:2])

    def test_one_bad_include_in_the_clean_tree_fails(self):
        with tempfile.TemporaryDirectory() as tmp:
            core = os.path.join(tmp, 'core')
            shutil.copytree(os.path.join(FIXTURES, 'clean', 'core'), core)
            with open(os.path.join(core, 'queue', 'mpsc.h'), 'a') as f:
                f.write('#include "base/alloc.h"\n')
            rc, out, _ = run(core)
            self.assertEqual(rc, 1)
            self.assertEqual(out, ['core/queue/mpsc.h:2: #include "base/alloc.h": base/ is at the '
                                   'same level (0) as queue/: siblings may not include each other'])

    def test_a_table_that_cannot_be_read_is_an_error_not_a_pass(self):
        cases = {
            'no_table': 'no ```layers block',
            'bad_row': 'README.md:3: want "<folder> <level>", got \'kernel one\'',
            'duplicate': "README.md:4: folder 'base' is listed twice",
            'unclosed': 'the ```layers block is not closed',
        }
        for name, why in cases.items():
            with self.subTest(name):
                rc, out, err = run(os.path.join(FIXTURES, name, 'core'))
                self.assertEqual((rc, out), (2, []))
                self.assertIn(why, err)
        rc, _, err = run(os.path.join(FIXTURES, 'no_such_tree'))
        self.assertEqual(rc, 2)
        self.assertIn('no directory', err)


if __name__ == '__main__':
    unittest.main()
