import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { chunkDocument } from '../../../ingestion/chunking/chunkDocument.ts';
import { parseDocument } from '../../../ingestion/parsing/parseDocument.ts';

const chunksOf = async (filename: string, source: string) =>
  (await chunkDocument(await parseDocument(Buffer.from(source), filename), { chunkSize: 512, chunkOverlap: 0 })).map((chunk) => ({
    headingPath: chunk.headingPath,
    lines: chunk.lines,
  }));

describe('source code, chunked by symbol with its lines', () => {
  it('cuts SystemVerilog by module, interface and package; nested classes stay in their package', async () => {
    const source = [
      '`timescale 1ns/1ps',
      'package soc_pkg;',
      '  class txn; endclass',
      'endpackage',
      '',
      'module alu (input logic [7:0] a, output logic [7:0] y);',
      '  assign y = a; // endmodule in a comment does not end it',
      'endmodule',
      'interface axi_if;',
      'endinterface',
    ].join('\n');
    assert.deepEqual(await chunksOf('rtl/alu.sv', source), [
      { headingPath: ['rtl/alu.sv', '(file scope)'], lines: { start: 1, end: 1 } },
      { headingPath: ['rtl/alu.sv', 'package soc_pkg'], lines: { start: 2, end: 4 } },
      { headingPath: ['rtl/alu.sv', 'module alu'], lines: { start: 6, end: 8 } },
      { headingPath: ['rtl/alu.sv', 'interface axi_if'], lines: { start: 9, end: 10 } },
    ]);
  });

  it('keeps the comment right above a module with it; one after a blank line stays with the file', async () => {
    const source = [
      '// Copyright 2026 Orion',
      '',
      '// pll_lock_err rises after 64 cycles out of lock.',
      '// Firmware re-runs the calibration.',
      'module pll_ctrl (output logic pll_lock_err);',
      'endmodule',
      '// Debug UART, 8N1.',
      'module uart_tx;',
      'endmodule',
    ].join('\n');
    assert.deepEqual(await chunksOf('rtl/pll_ctrl.sv', source), [
      { headingPath: ['rtl/pll_ctrl.sv', '(file scope)'], lines: { start: 1, end: 1 } },
      { headingPath: ['rtl/pll_ctrl.sv', 'module pll_ctrl'], lines: { start: 3, end: 6 } },
      { headingPath: ['rtl/pll_ctrl.sv', 'module uart_tx'], lines: { start: 7, end: 9 } },
    ]);
  });

  it('cuts Tcl and SDC by proc, to where its braces balance', async () => {
    const source = 'set top soc\nproc run_sta {corner} {\n  if {$corner eq "ss"} {\n    report_timing\n  }\n}\nrun_sta ss\n';
    assert.deepEqual(await chunksOf('flow/sta.tcl', source), [
      { headingPath: ['flow/sta.tcl', '(file scope)'], lines: { start: 1, end: 1 } },
      { headingPath: ['flow/sta.tcl', 'proc run_sta'], lines: { start: 2, end: 6 } },
      { headingPath: ['flow/sta.tcl', '(file scope)'], lines: { start: 7, end: 7 } },
    ]);
  });

  it('cuts Python by top-level def and class, decorators included', async () => {
    const source = 'import os\n\n@cache\ndef load(path):\n    return path\n\nclass Report:\n    def rows(self):\n        return []\n';
    assert.deepEqual(await chunksOf('tools/report.py', source), [
      { headingPath: ['tools/report.py', '(file scope)'], lines: { start: 1, end: 1 } },
      { headingPath: ['tools/report.py', 'def load'], lines: { start: 3, end: 5 } },
      { headingPath: ['tools/report.py', 'class Report'], lines: { start: 7, end: 9 } },
    ]);
  });

  it('keeps other source files whole under their path, with line numbers', async () => {
    assert.deepEqual(await chunksOf('scripts/build.sh', '#!/bin/sh\nmake all\n'), [
      { headingPath: ['scripts/build.sh'], lines: { start: 1, end: 2 } },
    ]);
  });
});
