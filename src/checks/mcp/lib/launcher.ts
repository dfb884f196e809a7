/**
 * Package runners that download and start a server at launch (npx, uvx, docker run …): which
 * package they fetch and whether its version is pinned. An unpinned server runs whatever the
 * registry serves today — a compromised or typosquatted release reaches every user at next start.
 */
export interface Launch {
  runner: string;
  package: string;
  /** The version (or tag, digest) as written; undefined when none. */
  version?: string;
  pinned: boolean;
  /** npx -y / --yes: installs without asking. */
  autoInstall: boolean;
}

const EXACT_SEMVER = /^v?\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.+-]+)?$/;
const COMMIT = /^[0-9a-f]{40}$/i;

function base(cmd: string): string {
  return cmd.replace(/\\/g, '/').split('/').pop()!.toLowerCase().replace(/\.(cmd|exe|bat|ps1)$/, '');
}

/** `cmd /c npx …`, `sh -c "npx …"`: the command that really runs. */
function unwrap(command: string, args: string[]): [string, string[]] {
  const b = base(command);
  if ((b === 'cmd' && /^\/c$/i.test(args[0] ?? '')) || ((b === 'sh' || b === 'bash' || b === 'zsh') && args[0] === '-c')) {
    const rest = args.slice(1);
    const words = rest.length === 1 ? rest[0].trim().split(/\s+/) : rest;
    return words.length ? unwrap(words[0], words.slice(1)) : [command, args];
  }
  return [command, args];
}

/** First positional argument, skipping flags (and the values of flags that take one). */
function positional(args: string[], valueFlags: Set<string>): { value?: string; index: number } {
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--') return { value: args[i + 1], index: i + 1 };
    if (a.startsWith('-')) {
      if (!a.includes('=') && valueFlags.has(a)) i++;
      continue;
    }
    return { value: a, index: i };
  }
  return { index: -1 };
}

function flagValues(args: string[], names: string[]): string[] {
  const out: string[] = [];
  args.forEach((a, i) => {
    for (const n of names) {
      if (a === n && args[i + 1] !== undefined) out.push(args[i + 1]);
      else if (a.startsWith(`${n}=`)) out.push(a.slice(n.length + 1));
    }
  });
  return out;
}

/** An npm spec: name, @scope/name, with @version; git/tarball URLs pinned only by commit. */
function npmSpec(spec: string): { package: string; version?: string; pinned: boolean } | undefined {
  if (/^(?:\.{1,2}\/|\/|~\/|file:|[A-Za-z]:\\)/.test(spec)) return undefined; // a local path
  if (/^(?:git\+|github:|https?:|git:)/.test(spec) || /^[\w.-]+\/[\w.-]+(#.*)?$/.test(spec)) {
    const ref = spec.split('#')[1];
    return { package: spec.split('#')[0], version: ref, pinned: ref !== undefined && COMMIT.test(ref) };
  }
  const m = /^(@[^/@\s]+\/[^@\s]+|[^@\s]+)(?:@(.+))?$/.exec(spec);
  if (!m) return undefined;
  const version = m[2];
  return { package: m[1], version, pinned: version !== undefined && EXACT_SEMVER.test(version) };
}

/** A Python spec for uvx / pipx: pkg==1.2.3, pkg@1.2.3, git+https://…@<commit>. */
function pySpec(spec: string): { package: string; version?: string; pinned: boolean } | undefined {
  if (/^(?:\.{1,2}\/|\/|~\/|file:)/.test(spec)) return undefined;
  if (/^git\+/.test(spec)) {
    const ref = /@([^@/#]+)(?:#.*)?$/.exec(spec.replace(/^git\+[a-z]+:\/\/[^/]*@/, ''))?.[1];
    return { package: spec.replace(/@[^@/]+$/, ''), version: ref, pinned: ref !== undefined && COMMIT.test(ref) };
  }
  const m = /^([A-Za-z0-9][A-Za-z0-9._-]*(?:\[[^\]]*\])?)\s*(?:(==|===|@|>=|~=|<=|>|<|!=)\s*(.+))?$/.exec(spec);
  if (!m) return undefined;
  const version = m[3];
  const exact = (m[2] === '==' || m[2] === '===' || m[2] === '@') && version !== undefined && /^[0-9][0-9A-Za-z.+!-]*$/.test(version) && !version.includes('*');
  return { package: m[1], version: m[2] ? `${m[2]}${version}` : undefined, pinned: exact };
}

/** A container image: pinned by digest; a tag other than latest is accepted; no tag means latest. */
function imageSpec(image: string): { package: string; version?: string; pinned: boolean } {
  const digest = /@sha256:[0-9a-f]{64}$/.exec(image);
  if (digest) return { package: image.slice(0, digest.index), version: digest[0].slice(1), pinned: true };
  const lastSlash = image.lastIndexOf('/');
  const colon = image.lastIndexOf(':');
  const tag = colon > lastSlash ? image.slice(colon + 1) : undefined;
  const name = tag !== undefined ? image.slice(0, colon) : image;
  return { package: name, version: tag, pinned: tag !== undefined && tag !== 'latest' };
}

const NPX_VALUE_FLAGS = new Set(['-p', '--package', '-c', '--call', '--registry', '--cache', '--userconfig', '-w', '--workspace']);
const UV_VALUE_FLAGS = new Set(['--from', '--with', '--python', '-p', '--index-url', '--extra-index-url', '--index', '-i', '--with-requirements', '--directory', '--project', '-c', '--constraint']);
const DOCKER_VALUE_FLAGS = new Set([
  '-e', '--env', '-v', '--volume', '-p', '--publish', '--name', '--network', '--net', '-w', '--workdir', '--env-file', '--entrypoint', '-u', '--user',
  '--mount', '--platform', '-l', '--label', '--add-host', '--cap-add', '--cap-drop', '--pull', '-m', '--memory', '--cpus', '--device', '--tmpfs', '-h', '--hostname', '--restart', '--security-opt', '--ulimit', '--label-file', '--log-driver', '--dns',
]);

/** The package a server's launch command fetches, or undefined when it runs a local program. */
export function launchOf(command: string | undefined, args: string[]): Launch | undefined {
  if (!command) return undefined;
  const [cmd, a] = unwrap(command, args);
  const b = base(cmd);
  const auto = a.includes('-y') || a.includes('--yes');
  let runner = b;
  let rest = a;
  if ((b === 'pnpm' || b === 'yarn' || b === 'bun') && (a[0] === 'dlx' || a[0] === 'x')) {
    runner = `${b} ${a[0]}`;
    rest = a.slice(1);
  } else if (b === 'npm' && a[0] === 'exec') {
    runner = 'npm exec';
    rest = a.slice(1);
  } else if (b === 'uv' && a[0] === 'tool' && a[1] === 'run') {
    runner = 'uv tool run';
    rest = a.slice(2);
  } else if (b === 'pipx' && a[0] === 'run') {
    runner = 'pipx run';
    rest = a.slice(1);
  } else if ((b === 'docker' || b === 'podman') && (a[0] === 'run' || (a[0] === 'container' && a[1] === 'run'))) {
    runner = `${b} run`;
    rest = a.slice(a[0] === 'run' ? 1 : 2);
  }
  const mk = (s: { package: string; version?: string; pinned: boolean } | undefined): Launch | undefined => s && { runner, ...s, autoInstall: auto };
  if (['npx', 'pnpx', 'bunx', 'pnpm dlx', 'yarn dlx', 'bun x', 'npm exec'].includes(runner)) {
    const pkgs = flagValues(rest, ['-p', '--package']);
    const spec = pkgs[0] ?? positional(rest, NPX_VALUE_FLAGS).value;
    return spec ? mk(npmSpec(spec)) : undefined;
  }
  if (['uvx', 'uv tool run', 'pipx run'].includes(runner)) {
    const from = flagValues(rest, runner === 'pipx run' ? ['--spec'] : ['--from'])[0];
    const spec = from ?? positional(rest, UV_VALUE_FLAGS).value;
    return spec ? mk(pySpec(spec)) : undefined;
  }
  if (runner === 'docker run' || runner === 'podman run') {
    const image = positional(rest, DOCKER_VALUE_FLAGS).value;
    return image ? mk(imageSpec(image)) : undefined;
  }
  if (b === 'deno') {
    const spec = rest.find((x) => /^(?:npm|jsr):/.test(x));
    if (!spec) return undefined;
    const s = npmSpec(spec.replace(/^(?:npm|jsr):/, ''));
    return s && { runner: 'deno', ...s, autoInstall: false };
  }
  return undefined;
}
