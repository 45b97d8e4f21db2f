import { describe, expect, it } from 'vitest';
import { composeOverlays, renderPartial, type TemplateTree } from '../../src/templates/plan.js';

const tree: TemplateTree = {
  base: [
    { path: 'README.template.md', content: '# {{project}}\n' },
    { path: '_gitignore', content: 'cdk.out/\n' },
    { path: 'notes.txt', content: 'kept verbatim: {{project}}\n' },
    { path: 'job.partial.yml', content: 'deploy-{{stage}}:\n' },
  ],
  python: [
    { path: 'src/__package__/aws.py', content: 'import os\n' },
    { path: '_gitignore', content: '__pycache__/\n' },
  ],
};

describe('composeOverlays', () => {
  it('renders .template. files, copies the rest, skips partials, sorts by path', () => {
    expect(composeOverlays(tree, ['base'], { project: 'orders', package: 'orders' })).toEqual([
      { path: '.gitignore', content: 'cdk.out/\n' },
      { path: 'notes.txt', content: 'kept verbatim: {{project}}\n' },
      { path: 'README.md', content: '# orders\n' },
    ]);
  });

  it('lets a later overlay replace a file of an earlier one', () => {
    const files = composeOverlays(tree, ['base', 'python'], { project: 'orders', package: 'my_app' });
    expect(files.map((f) => f.path)).toEqual(['.gitignore', 'notes.txt', 'README.md', 'src/my_app/aws.py']);
    expect(files[0]!.content).toBe('__pycache__/\n');
  });

  it('names a missing overlay', () => {
    expect(() => composeOverlays(tree, ['base', 'rust'], { project: 'x', package: 'x' })).toThrow(
      'No template overlay "rust" in spec3\'s templates/ folder.',
    );
  });
});

describe('renderPartial', () => {
  it('renders a partial without its final newline', () => {
    expect(renderPartial(tree, 'base', 'job.partial.yml', { stage: 'prod' })).toBe('deploy-prod:');
  });
});
