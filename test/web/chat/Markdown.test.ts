import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createElement, type ReactNode } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { Markdown } from '../../../web/src/chat/Markdown.tsx';

const render = (text: string, citationNumbers: number[] = [1, 2]) =>
  renderToStaticMarkup(
    createElement(Markdown, { text, citationNumbers, renderCitation: (n: number): ReactNode => createElement('button', null, `[${n}]`) }),
  );

describe('answers as Markdown', () => {
  it('turns known citation markers into citation buttons, leaving unknown ones and code alone', () => {
    const html = render('Registered signals end in `_q` [1], see `mem[2]` and [7].\n\n```verilog\nassign y = a[1];\n```');
    assert.equal((html.match(/<button>\[1\]<\/button>/g) ?? []).length, 1);
    assert.match(html, /<code>mem\[2\]<\/code>/, 'inline code keeps its index');
    assert.match(html, /\[7\]/, 'a number no citation has stays text');
    assert.doesNotMatch(html, /<button>\[7\]/);
    assert.match(html, /a\[<span class="hljs-number">1<\/span>\]/, 'code blocks keep their indexes');
  });

  it('highlights SystemVerilog and SDC, which chip engineers paste most', () => {
    const verilog = render('```systemverilog\nalways_ff @(posedge clk) count_q <= count_d;\n```');
    assert.match(verilog, /<span class="hljs-keyword">always_ff<\/span>/);
    const sdc = render('```sdc\nset_multicycle_path 2 -setup -from [get_pins u_core/*]\n```');
    assert.match(sdc, /class="hljs-/);
  });

  it('shows HTML from an answer as text, drops javascript: links and never loads images', () => {
    const html = render(
      'Open <img src=x onerror="alert(1)"> and <script>alert(2)</script> [here](javascript:alert(3)) ![chart](http://attacker.example/x.png)',
    );
    assert.doesNotMatch(html, /<img|<script/);
    assert.match(html, /&lt;img src=x onerror=&quot;alert\(1\)&quot;&gt;/);
    assert.doesNotMatch(html, /javascript:/);
    assert.match(html, /\[image: chart\]/);
    assert.doesNotMatch(html, /attacker\.example/);
  });

  it('opens ordinary links in a new tab without handing over the opener', () => {
    assert.match(
      render('[the handbook](https://wiki.example/rtl)'),
      /<a href="https:\/\/wiki.example\/rtl" target="_blank" rel="noopener noreferrer nofollow">the handbook<\/a>/,
    );
  });
});
