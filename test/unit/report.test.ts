import { describe, test, before } from 'node:test';
import assert from 'node:assert/strict';
import { parsePipelineParams, type PipelineParams, type PipelineStatus, type RunRef } from '../../contract';
import { asWritten, reportBlocks, reportTitle, type ReportExtras } from '../../activities/report/content';
import { type Block, type TableData, escapeHtml, toHtml, toMarkdown } from '../../activities/report/document';
import { readExample } from '../helpers/fixtures';

const run: RunRef = { pipeline: 'iris', workflowId: 'ml-iris', runId: 'run-42' };

function sampleStatus(): PipelineStatus {
  return {
    pipeline: 'iris',
    modelType: 'random_forest_classifier',
    stage: 'deployed',
    outcome: 'deployed',
    modelVersion: '3',
    metrics: { accuracy: 0.9555555, f1_macro: 1 },
    decision: { metric: 'accuracy', value: 0.9555555, threshold: 0.9, passed: true, approval: 'not_required', action: 'deploy', reason: 'accuracy reached the threshold' },
    artifacts: { model: 'file:///tmp/model.json', report: 'file:///tmp/report.md' },
    warnings: [],
    steps: [
      { name: 'ingest', state: 'completed', attempt: 1, startedAt: '2024-01-01T00:00:00.000Z', endedAt: '2024-01-01T00:00:01.500Z', summary: '150 rows' },
      { name: 'train', state: 'completed', attempt: 2, startedAt: '2024-01-01T00:00:02.000Z', endedAt: '2024-01-01T00:00:04.250Z' },
      { name: 'approval', state: 'skipped', attempt: 0 },
    ],
  };
}

const extras: ReportExtras = {
  validation: {
    expectations: [
      { expectation: 'minRows', passed: true, message: '150 rows' },
      { expectation: 'notNull', column: 'species', passed: false, message: '2 missing values' },
      { expectation: 'range', column: 'sepal_length', passed: false, message: '1 value above 20' },
    ],
  },
  evaluation: {
    classes: ['setosa', 'versicolor', 'virginica'],
    confusionMatrix: [
      [15, 0, 0],
      [0, 14, 1],
      [0, 1, 14],
    ],
  },
};

/** The tables, and the charts' data tables (what the Markdown report shows of a chart). */
const tables = (blocks: Block[]): TableData[] => blocks.flatMap((b) => (b.kind === 'table' ? [b] : b.kind === 'chart' && b.table ? [b.table] : []));
const texts = (blocks: Block[]): string[] =>
  blocks.flatMap((b) =>
    b.kind === 'heading' || b.kind === 'paragraph' ? [b.text] : b.kind === 'list' ? [...b.items] : b.kind === 'chart' ? [b.title, ...(b.table ? [...b.table.header, ...b.table.rows.flat()] : [])] : [...b.header, ...b.rows.flat()],
  );

describe('toMarkdown', () => {
  test('renders headings, paragraphs, lists and tables separated by blank lines', () => {
    const md = toMarkdown([
      { kind: 'heading', level: 1, text: 'Title' },
      { kind: 'heading', level: 2, text: 'Section' },
      { kind: 'paragraph', text: 'Some text.' },
      { kind: 'list', items: ['one', 'two'] },
      { kind: 'table', header: ['a', 'b'], rows: [['1', '2'], ['3', '4']] },
    ]);
    assert.equal(md, ['# Title', '## Section', 'Some text.', '- one\n- two', '| a | b |\n| --- | --- |\n| 1 | 2 |\n| 3 | 4 |'].join('\n\n') + '\n');
  });

  test('escapes | and flattens newlines in table cells, so a cell cannot add columns or rows', () => {
    const md = toMarkdown([{ kind: 'table', header: ['h|1', 'h2'], rows: [['a|b', 'line1\nline2'], ['c\r\nd', 'x']] }]);
    const lines = md.trimEnd().split('\n');
    assert.equal(lines.length, 4);
    assert.equal(lines[0], '| h\\|1 | h2 |');
    assert.equal(lines[2], '| a\\|b | line1 line2 |');
    assert.equal(lines[3], '| c d | x |');
    // Each row has exactly the header's number of unescaped separators.
    for (const line of lines) assert.equal(line.replace(/\\\|/g, '').split('|').length - 2, 2, line);
  });

  test('an empty document is one newline', () => {
    assert.equal(toMarkdown([]), '\n');
  });
});

describe('toHtml', () => {
  const evil = `<script>alert("x&'y")</script>`;
  const escaped = '&lt;script&gt;alert(&quot;x&amp;&#39;y&quot;)&lt;/script&gt;';

  test('escapeHtml escapes the five special characters', () => {
    assert.equal(escapeHtml(evil), escaped);
    assert.equal(escapeHtml('plain text'), 'plain text');
  });

  test('escapes markup and quotes in the title and in every block type', () => {
    const html = toHtml(evil, [
      { kind: 'heading', level: 1, text: evil },
      { kind: 'heading', level: 2, text: evil },
      { kind: 'paragraph', text: evil },
      { kind: 'list', items: [evil, 'ok'] },
      { kind: 'table', header: [evil, 'h'], rows: [[evil, '"quoted"']] },
    ]);
    assert.equal(html.includes('<script>'), false);
    assert.equal(html.includes('alert("'), false);
    assert.equal(html.split(escaped).length - 1, 7);
    assert.ok(html.includes(`<title>${escaped}</title>`));
    assert.ok(html.includes(`<h1>${escaped}</h1>`));
    assert.ok(html.includes(`<h2>${escaped}</h2>`));
    assert.ok(html.includes(`<p>${escaped}</p>`));
    assert.ok(html.includes(`<ul><li>${escaped}</li><li>ok</li></ul>`));
    assert.ok(html.includes(`<thead><tr><th>${escaped}</th><th>h</th></tr></thead>`));
    assert.ok(html.includes(`<tbody><tr><td>${escaped}</td><td>&quot;quoted&quot;</td></tr></tbody>`));
  });

  test('is a whole HTML document', () => {
    const html = toHtml('t', []);
    assert.match(html, /^<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>t<\/title>/);
    assert.match(html, /<\/body><\/html>\n$/);
  });
});

describe('reportBlocks', () => {
  let params: PipelineParams;
  before(async () => {
    params = parsePipelineParams(await readExample('iris.json'));
  });

  test('the title names the pipeline and the outcome, or the stage while running', () => {
    assert.equal(reportTitle(sampleStatus()), 'iris: deployed');
    assert.equal(reportTitle({ ...sampleStatus(), outcome: undefined, stage: 'training' }), 'iris: training');
  });

  test('shows the outcome, run, model version and dataset', () => {
    const blocks = reportBlocks(run, sampleStatus(), params, {});
    assert.deepEqual(blocks[0], { kind: 'heading', level: 1, text: 'ML pipeline report: iris' });
    assert.ok(blocks[1].kind === 'list');
    assert.deepEqual(blocks[1].items, [
      'Outcome: deployed',
      'Workflow: ml-iris (run run-42)',
      'Model: random_forest_classifier, version 3',
      'Dataset: iris.csv (target species)',
    ]);
  });

  test('shows the decision with value, threshold and approval', () => {
    const blocks = reportBlocks(run, sampleStatus(), params, {});
    const all = texts(blocks);
    assert.ok(all.includes('Deployed: accuracy reached the threshold'));
    assert.deepEqual(tables(blocks).find((t) => t.header[0] === 'gate')?.rows, [['accuracy', '0.9556', '0.9000', 'passed']]);
    assert.ok(all.includes('Approval: not_required'));
    const failed = { ...sampleStatus(), decision: { ...sampleStatus().decision!, passed: false, action: 'alert' as const, reason: 'below' } };
    const alertBlocks = reportBlocks(run, failed, params, {});
    assert.ok(texts(alertBlocks).includes('Not deployed: below'));
    assert.deepEqual(tables(alertBlocks).find((t) => t.header[0] === 'gate')?.rows[0][3], 'not reached');
  });

  test('shows every gate, the production comparison and the candidate version', () => {
    const decision = {
      ...sampleStatus().decision!,
      passed: false,
      action: 'alert' as const,
      reason: 'production is better',
      gates: [
        { metric: 'accuracy' as const, value: 0.9556, threshold: 0.9, passed: true },
        { metric: 'f1_macro' as const, value: 0.5, threshold: 0.8, passed: false },
      ],
      production: { metric: 'accuracy' as const, margin: 0.01, candidate: 0.9556, production: 0.97, productionVersion: '3', improvement: -0.0144, passed: false, rows: 45 },
    };
    const blocks = reportBlocks(run, { ...sampleStatus(), decision, candidateVersion: '4' }, params, {});
    assert.deepEqual(
      tables(blocks).find((t) => t.header[0] === 'gate')?.rows.map((r) => [r[0], r[3]]),
      [
        ['accuracy', 'passed'],
        ['f1_macro', 'not reached'],
      ],
    );
    const all = texts(blocks);
    assert.ok(all.some((t) => t.startsWith('Beat production on accuracy: not beaten; this model 0.9556 against production version 3 0.9700 ')), all.join('\n'));
    assert.ok(all.some((t) => t.startsWith('Registered as candidate version 4 (not serving')));
  });

  test('shows the metrics as a table', () => {
    const metrics = tables(reportBlocks(run, sampleStatus(), params, {})).find((t) => t.header[0] === 'metric');
    assert.deepEqual(metrics?.rows, [
      ['accuracy', '0.9556'],
      ['f1_macro', '1'],
    ]);
  });

  test('shows the validation result with each failed expectation', () => {
    const blocks = reportBlocks(run, sampleStatus(), params, extras);
    assert.ok(blocks.some((b) => b.kind === 'heading' && b.text === 'Validation: 2 failed'));
    const validation = tables(blocks).find((t) => t.header[0] === 'expectation');
    assert.deepEqual(validation?.rows, [
      ['minRows', '', 'pass', '150 rows'],
      ['notNull', 'species', 'FAIL', '2 missing values'],
      ['range', 'sepal_length', 'FAIL', '1 value above 20'],
    ]);
    const passing = reportBlocks(run, sampleStatus(), params, { validation: { expectations: [extras.validation!.expectations[0]] } });
    assert.ok(passing.some((b) => b.kind === 'heading' && b.text === 'Validation: passed'));
  });

  test('shows each step with attempt and duration', () => {
    const steps = tables(reportBlocks(run, sampleStatus(), params, {})).find((t) => t.header[0] === 'step');
    assert.deepEqual(steps?.rows, [
      ['ingest', 'completed', '1', '2024-01-01T00:00:00.000Z', '2024-01-01T00:00:01.500Z', '1.500 s', '150 rows'],
      ['train', 'completed', '2', '2024-01-01T00:00:02.000Z', '2024-01-01T00:00:04.250Z', '2.250 s', ''],
      ['approval', 'skipped', '0', '', '', '', ''],
    ]);
  });

  test('the report shows its own step as completed when written, and leaves other steps as they are', () => {
    const writing: PipelineStatus = {
      ...sampleStatus(),
      steps: [...sampleStatus().steps, { name: 'report', state: 'running', attempt: 1, startedAt: '2024-01-01T00:00:05.000Z' }],
    };
    const written = asWritten(writing, new Date('2024-01-01T00:00:05.250Z'));
    const steps = tables(reportBlocks(run, written, params, {})).find((t) => t.header[0] === 'step');
    assert.deepEqual(steps?.rows.at(-1), ['report', 'completed', '1', '2024-01-01T00:00:05.000Z', '2024-01-01T00:00:05.250Z', '0.250 s', 'this report']);
    assert.deepEqual(written.steps.slice(0, -1), sampleStatus().steps);
    assert.equal(writing.steps.at(-1)?.state, 'running', 'the status given is not changed');
    const failed: PipelineStatus = { ...writing, steps: [{ name: 'report', state: 'failed', attempt: 1, error: 'disk full' }] };
    assert.deepEqual(asWritten(failed, new Date()).steps, failed.steps);
  });

  test('shows the confusion matrix when the evaluation has one', () => {
    const blocks = reportBlocks(run, sampleStatus(), params, extras);
    assert.ok(blocks.some((b) => b.kind === 'chart' && b.title.startsWith('Confusion matrix')));
    const cm = tables(blocks).find((t) => t.header[0] === '');
    assert.deepEqual(cm?.header, ['', 'setosa', 'versicolor', 'virginica']);
    assert.deepEqual(cm?.rows, [
      ['setosa', '15', '0', '0'],
      ['versicolor', '0', '14', '1'],
      ['virginica', '0', '1', '14'],
    ]);
    const without = reportBlocks(run, sampleStatus(), params, {});
    assert.equal(
      without.some((b) => b.kind === 'chart' && b.title.startsWith('Confusion matrix')),
      false,
    );
  });

  test('lists the run\'s warnings, and has no such section without any', () => {
    const warned: PipelineStatus = { ...sampleStatus(), warnings: ['8 rows without a value in target "mpg" were left out'] };
    const blocks = reportBlocks(run, warned, params, extras);
    const at = blocks.findIndex((b) => b.kind === 'heading' && b.text === 'Warnings');
    assert.ok(at > 0);
    assert.deepEqual(blocks[at + 1], { kind: 'list', items: ['8 rows without a value in target "mpg" were left out'] });
    assert.equal(reportBlocks(run, sampleStatus(), params, extras).some((b) => b.kind === 'heading' && b.text === 'Warnings'), false);
  });

  test('shows quarantined expectations as such, with the count and the quarantine file', () => {
    const quarantined: ReportExtras = {
      validation: {
        expectations: [{ expectation: 'range', column: 'sepal_length', passed: false, message: '6 values above 7.5 (1-based data rows 106, …)', quarantined: 6 }],
        quarantine: { applied: true, message: '6 rows of 150 quarantined (4%; range sepal_length: 6 rows)', file: 'file:///a/quarantine.jsonl' },
      },
    };
    const blocks = reportBlocks(run, sampleStatus(), params, quarantined);
    const all = texts(blocks);
    assert.ok(all.includes('Validation: passed, 6 rows of 150 quarantined (4%; range sepal_length: 6 rows)'), all.join('\n'));
    assert.ok(all.includes('quarantined 6'));
    assert.ok(all.includes('Quarantined rows, with the rules they failed: file:///a/quarantine.jsonl'));
  });

  test("shows the status's class report: per-class table, positive class, note and the folded matrix", () => {
    const status: PipelineStatus = {
      ...sampleStatus(),
      classReport: {
        classCount: 60,
        positiveClass: undefined,
        perClass: [{ label: 'rain', precision: 0.5, recall: 0.04, f1: 0.074074, support: 25 }],
        confusionMatrix: { labels: ['rain', '(59 other classes)'], counts: [[1, 24], [1, 974]] },
        note: '60 classes: the 1 with the most test rows are listed',
      },
    };
    const blocks = reportBlocks(run, status, params, extras);
    const perClass = tables(blocks).find((t) => t.header[0] === 'class');
    assert.deepEqual(perClass?.rows, [['rain', '0.5000', '0.04000', '0.07407', '25']]);
    assert.ok(blocks.some((b) => b.kind === 'paragraph' && b.text.startsWith('60 classes')));
    const cm = tables(blocks).find((t) => t.header[0] === '');
    assert.deepEqual(cm?.header, ['', 'rain', '(59 other classes)'], 'the class report wins over the stored full matrix');
    assert.deepEqual(cm?.rows, [['rain', '1', '24'], ['(59 other classes)', '1', '974']]);
  });

  test('shows the error of a failed run and lists artifacts', () => {
    const failed: PipelineStatus = { ...sampleStatus(), outcome: 'failed', stage: 'failed', error: 'ingest: no file at "x.csv"', decision: undefined, metrics: undefined };
    const blocks = reportBlocks(run, failed, params, {});
    const errorAt = blocks.findIndex((b) => b.kind === 'heading' && b.text === 'Error');
    assert.ok(errorAt > 0);
    assert.deepEqual(blocks[errorAt + 1], { kind: 'paragraph', text: 'ingest: no file at "x.csv"' });
    assert.equal(blocks.some((b) => b.kind === 'heading' && b.text === 'Decision'), false);
    assert.equal(tables(blocks).some((t) => t.header[0] === 'metric'), false);
    const artifacts = blocks.at(-1);
    assert.ok(artifacts?.kind === 'list');
    assert.deepEqual(artifacts.items, ['model: file:///tmp/model.json', 'report: file:///tmp/report.md']);
  });

  test('renders to Markdown and HTML with the content escaped', () => {
    const status: PipelineStatus = { ...sampleStatus(), error: 'bad <b>input</b> | "x"' };
    const blocks = reportBlocks(run, status, params, extras);
    const md = toMarkdown(blocks);
    assert.ok(md.includes('| setosa | 15 | 0 | 0 |'));
    assert.ok(md.includes('| ingest | completed | 1 |'));
    const html = toHtml(reportTitle(status), blocks);
    assert.ok(html.includes('bad &lt;b&gt;input&lt;/b&gt; | &quot;x&quot;'));
    assert.ok(html.includes('<td>FAIL</td>'));
  });
});
