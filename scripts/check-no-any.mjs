// Fails when a type annotation in src/ uses `any` (comments and strings don't count):
// walks each file's TypeScript syntax tree looking for the `any` keyword.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import ts from "typescript";

function* tsFiles(dir) {
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) yield* tsFiles(path);
    else if (path.endsWith(".ts")) yield path;
  }
}

let found = 0;
for (const file of tsFiles(process.argv[2] ?? "src")) {
  const source = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true);
  const visit = (node) => {
    if (node.kind === ts.SyntaxKind.AnyKeyword) {
      const { line, character } = source.getLineAndCharacterOfPosition(node.getStart());
      console.error(`${file}:${line + 1}:${character + 1}: 'any' is not allowed in src/`);
      found++;
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
}
process.exit(found > 0 ? 1 : 0);
