import assert from 'node:assert/strict';
import { it } from 'node:test';
import { safeFilename } from '../../../ingestion/intake/safeFilename.ts';

it('safeFilename drops directories, control and bidi characters, and never returns an empty name', () => {
  assert.equal(safeFilename('../../etc/passwd'), 'passwd');
  assert.equal(safeFilename('C:\\Users\\me\\notes.md'), 'notes.md');
  assert.equal(safeFilename('report\u0000\u0007.pdf'), 'report.pdf');
  // U+202E would display "invoice_fdp.exe" as "invoice_exe.pdf".
  assert.equal(safeFilename('invoice_\u202Efdp.exe'), 'invoice_fdp.exe');
  assert.equal(safeFilename('a<b>:c.md'), 'a_b__c.md');
  assert.equal(safeFilename('..'), 'unnamed');
  assert.equal(safeFilename(''), 'unnamed');
  assert.equal(safeFilename('x'.repeat(500)).length, 200);
});
