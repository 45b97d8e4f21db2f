import { describe, expect, it } from 'vitest';
import { Spec3Error } from '../../src/errors.js';
import { renderTemplate, targetPath } from '../../src/templates/render.js';

describe('renderTemplate', () => {
  it('replaces every placeholder, with or without spaces inside the braces', () => {
    expect(renderTemplate('{{project}}: {{ project }} in {{region}}', { project: 'orders', region: 'eu-west-1' })).toBe(
      'orders: orders in eu-west-1',
    );
  });

  it('expands once: a value that looks like a placeholder stays as it is', () => {
    expect(renderTemplate('{{a}}', { a: '{{b}}' })).toBe('{{b}}');
  });

  it('leaves GitHub Actions expressions alone', () => {
    const text = 'role-to-assume: ${{ vars.AWS_DEPLOY_ROLE_ARN }}\ngroup: deploy-${{github.ref}}';
    expect(renderTemplate(text, {})).toBe(text);
  });

  it('throws a named error on an unknown placeholder, naming the file and the known values', () => {
    const render = () => renderTemplate('name: {{projet}}', { project: 'orders', stage: 'dev' }, 'templates/base/README.template.md');
    expect(render).toThrow(Spec3Error);
    expect(render).toThrow('templates/base/README.template.md: unknown placeholder {{projet}}; known: project, stage.');
    try {
      render();
    } catch (error) {
      expect((error as Spec3Error).code).toBe('TEMPLATE_UNKNOWN_PLACEHOLDER');
    }
  });
});

describe('targetPath', () => {
  it.each([
    ['_gitignore', '.gitignore'],
    ['_github/workflows/deploy.template.yml', '.github/workflows/deploy.yml'],
    ['README.template.md', 'README.md'],
    ['src/__package__/handlers/api.py', 'src/my_orders/handlers/api.py'],
    ['src/__package__/__init__.py', 'src/my_orders/__init__.py'],
    ['tests/test_api.template.py', 'tests/test_api.py'],
    ['requirements.txt', 'requirements.txt'],
  ])('%s -> %s', (from, to) => {
    expect(targetPath(from, { package: 'my_orders' })).toBe(to);
  });

  it('needs a package value for __package__', () => {
    expect(() => targetPath('src/__package__/aws.py', {})).toThrow('src/__package__/aws.py: __package__ needs a "package" value.');
  });
});
