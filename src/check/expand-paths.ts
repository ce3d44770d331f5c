// Turns the paths given to `leuko check` into the template files to read: directories are walked, files kept.
import { readdirSync, statSync, type Dirent } from 'node:fs';
import { basename, normalize, sep } from 'node:path';

/** Extensions a directory walk picks up; a file named explicitly is read whatever its extension. */
export const TEMPLATE_EXTENSIONS: readonly string[] = ['.yaml', '.yml', '.json', '.template'];

/** Never walked: dependencies and VCS data hold no templates of the project, and are large. */
const SKIPPED_DIRS = new Set(['node_modules', '.git', '.hg', '.svn', '.terraform', '.venv', '__pycache__']);

export interface ExpandedFile {
  readonly path: string;
  /** Named on the command line (a refusal is then always reported), or found by walking a directory. */
  readonly explicit: boolean;
}

export interface ExpandProblem {
  readonly file: string;
  readonly message: string;
}

/**
 * Files to check, in a stable order (directories sorted), each once. Inside a CDK cloud assembly
 * (`cdk.out/`) only `*.template.json` are templates: manifest.json, tree.json and the asset
 * folders are not.
 */
export function expandPaths(paths: readonly string[]): { files: ExpandedFile[]; problems: ExpandProblem[] } {
  const files: ExpandedFile[] = [];
  const problems: ExpandProblem[] = [];
  const seen = new Set<string>();
  const add = (path: string, explicit: boolean) => {
    if (seen.has(path)) return;
    seen.add(path);
    files.push({ path, explicit });
  };
  const walk = (dir: string, inCdkOut: boolean) => {
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (error) {
      problems.push({ file: dir, message: `cannot read directory: ${(error as Error).message}` });
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const prefix = entryPrefix(dir);
    for (const entry of entries) {
      const path = prefix + entry.name;
      if (entry.isDirectory()) {
        if (SKIPPED_DIRS.has(entry.name)) continue;
        // CDK copies asset sources (Lambda code, Docker contexts) into asset.* folders: not templates.
        if (inCdkOut && entry.name.startsWith('asset.')) continue;
        walk(path, inCdkOut || entry.name === 'cdk.out' || entry.name.endsWith('.cdk.out'));
      } else if (entry.isFile() || entry.isSymbolicLink()) {
        if (inCdkOut ? isCdkTemplate(entry.name) : hasTemplateExtension(entry.name)) add(path, false);
      }
    }
  };
  for (const path of paths) {
    let isDir: boolean;
    try {
      isDir = statSync(path).isDirectory();
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      problems.push({ file: path, message: code === 'ENOENT' ? 'no such file or directory' : `cannot read: ${(error as Error).message}` });
      continue;
    }
    if (isDir) walk(normalize(path), basename(path) === 'cdk.out' || basename(path).endsWith('.cdk.out'));
    else add(path, true);
  }
  return { files, problems };
}

/**
 * What goes before an entry's name to make `path.join(dir, name)` of a normalised `dir`. Over a large tree,
 * join's normalising of every path took as long as reading the directories.
 */
export function entryPrefix(dir: string): string {
  if (dir === '.' || dir === `.${sep}`) return '';
  return dir.endsWith(sep) ? dir : `${dir}${sep}`;
}

function hasTemplateExtension(name: string): boolean {
  const lower = name.toLowerCase();
  return TEMPLATE_EXTENSIONS.some((extension) => lower.endsWith(extension));
}

/** `cdk synth` writes one `<Stack>.template.json` per stack; nested stacks are `*.nested.template.json`. */
function isCdkTemplate(name: string): boolean {
  return name.endsWith('.template.json');
}
