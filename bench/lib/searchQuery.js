/*
 * The ACM Search request for every Argo CD Application, as our SearchSource sends it: for
 * benches that ask the simulator's Search directly. Without `offset`, one unlimited page.
 */
'use strict';

function applicationsQuery({ limit = -1, offset } = {}) {
  const input = {
    filters: [
      { property: 'kind', values: ['Application'] },
      { property: 'apigroup', values: ['argoproj.io'] },
    ],
    limit,
  };
  if (offset !== undefined) {
    input.offset = offset;
    input.orderBy = 'name asc';
  }
  return {
    operationName: 'searchResult',
    variables: { input: [input] },
    query:
      'query searchResult($input: [SearchInput]) { searchResult: search(input: $input) { items } }',
  };
}

module.exports = { applicationsQuery };
