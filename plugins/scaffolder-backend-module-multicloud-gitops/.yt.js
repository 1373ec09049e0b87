const Y = require('yaml'); const fs = require('fs');
const dir='/work/shared/reference/validated-patterns/multicloud-gitops/';
for (const f of fs.readdirSync(dir)) { if(!f.endsWith('.yaml')&&!f.endsWith('.template'))continue;
  const t = fs.readFileSync(dir+f,'utf8'); const d = Y.parseDocument(t);
  const out = d.toString();
  console.log(f, out===t ? 'SAME' : 'DIFF');
  if (out!==t) { const D=require('diff'); console.log(D.createTwoFilesPatch(f,f,t,out)); }
}
