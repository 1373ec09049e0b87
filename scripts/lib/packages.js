'use strict';
/* The workspace packages that are published to npm: every package that is not private. */
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '../..');

function workspacePackages() {
  const { workspaces } = JSON.parse(
    fs.readFileSync(path.join(root, 'package.json'), 'utf8'),
  );
  return workspaces.flatMap(pattern => {
    const parent = path.join(root, pattern.replace(/\/\*$/, ''));
    return fs
      .readdirSync(parent)
      .map(name => path.join(parent, name))
      .filter(dir => fs.existsSync(path.join(dir, 'package.json')))
      .map(dir => ({
        dir,
        json: JSON.parse(
          fs.readFileSync(path.join(dir, 'package.json'), 'utf8'),
        ),
      }))
      .map(p => ({ ...p, name: p.json.name }));
  });
}

function publishedPackages() {
  return workspacePackages().filter(p => !p.json.private);
}

module.exports = { root, workspacePackages, publishedPackages };
