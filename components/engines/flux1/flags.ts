// Every flag fluxd has, and whether a team may add it through `platform:teams[i].flux.args`. A flag
// fluxd cannot parse makes it exit, and restart forever, so each is a config problem here. A team's
// argument must be exactly one `--name=value` (or `--name` for a bool), checked as fluxd's parser
// would read it: any other spelling could hide a flag or take the next one as a value. The team's
// come after the platform's (fluxV1Args). Upstream: docs/upstream.md, "fluxd's flags and how they
// are parsed".
import { Rule } from "../../shared/settings/fields";
import { parseGoDuration } from "../../shared/settings/goDuration";

/** What pflag parses a flag's value as (fs.Bool, fs.Duration, ...). */
type FlagKind = "bool" | "string" | "stringSlice" | "duration" | "int" | "float";

/**
 * - platform: the platform sets it or wires what it names (the key Secret and its mount, the
 *   keygen directory, memcached, the ports the probes and fluxctl use, the kubeconfig, the git
 *   source, the intervals that have their own keys): a team setting it breaks its Flux.
 * - fence: it would let a team's Flux act outside its namespace or be driven from outside.
 * - exits: it makes fluxd stop at start.
 * - team: a team may set it; it changes only how its own Flux treats its own repo and namespace.
 */
type FlagClass = "platform" | "fence" | "exits" | "team";

interface FluxdFlag {
    readonly kind: FlagKind;
    readonly class: FlagClass;
    /** Why a team may not set it, for the problem message (classes other than team). */
    readonly why?: string;
    /** The only values fluxd accepts, where it exits on any other (it checks them at start). */
    readonly values?: readonly string[];
}

const platform = (kind: FlagKind, why: string): FluxdFlag => ({ kind, class: "platform", why });
const fence = (kind: FlagKind, why: string): FluxdFlag => ({ kind, class: "fence", why });
const team = (kind: FlagKind, values?: readonly string[]): FluxdFlag => ({ kind, class: "team", ...(values ? { values } : {}) });

const keyWiring = "the platform mounts the git key Secret flux-git-deploy (key identity) at /etc/fluxd/ssh, read-only";
const cacheWiring = "the platform points every Flux at the shared memcached";
const ownKey = "set it through its own config key";

// In the order fluxd declares them (docs/upstream.md, "fluxd's flags and how they are parsed").
export const fluxdFlags: Readonly<Record<string, FluxdFlag>> = {
    "log-format": team("string"),
    "listen": platform("string", "the platform's probes and fluxctl reach fluxd's API on :3030"),
    "listen-metrics": platform("string", "the platform serves metrics on :3031, the port its Deployment names"),
    "kubernetes-kubectl": platform("string", "fluxd uses the kubectl of its image"),
    "version": { kind: "bool", class: "exits", why: "fluxd prints its version and exits" },
    "git-url": platform("string", `the platform derives it from github:owner and the team's repo; ${ownKey}`),
    "git-branch": platform("string", `${ownKey}, platform:teams[i].branch`),
    "git-path": platform("stringSlice", `${ownKey}, platform:teams[i].path`),
    "git-readonly": team("bool"),
    "git-user": team("string"),
    "git-email": team("string"),
    "git-set-author": team("bool"),
    "git-label": team("string"),
    "git-secret": team("bool"),
    "sops": team("bool"),
    "git-sync-tag": team("string"),
    "git-notes-ref": team("string"),
    "git-ci-skip": team("bool"),
    "git-ci-skip-message": team("string"),
    "git-poll-interval": platform("duration", `${ownKey}, platform:teams[i].flux.gitPollInterval`),
    "git-timeout": team("duration"),
    "git-gpg-key-import": team("stringSlice"),
    "git-signing-key": team("string"),
    "git-verify-signatures": team("bool"),
    // The modes fluxd knows; "" is the default.
    "git-verify-signatures-mode": team("string", ["", "none", "all", "first-parent"]),
    "sync-interval": platform("duration", `${ownKey}, platform:teams[i].flux.syncInterval`),
    "sync-timeout": team("duration"),
    "sync-garbage-collection": team("bool"),
    "sync-garbage-collection-dry": team("bool"),
    // --git-readonly forces secret sync state (docs/upstream.md, "Sync state"). Where fluxd keeps
    // it decides what it writes (the key Secret or the repo), so it
    // follows --git-readonly, which sets the deploy key's access too.
    "sync-state": platform("string", "it follows --git-readonly: set --git-readonly for a read-only key and the sync state in the key Secret"),
    "memcached-hostname": platform("string", cacheWiring),
    "memcached-port": platform("int", cacheWiring),
    "memcached-timeout": team("duration"),
    "memcached-service": platform("string", cacheWiring),
    "registry-disable-scanning": team("bool"),
    "automation-interval": team("duration"),
    "registry-poll-interval": team("duration"),
    "registry-rps": team("float"),
    "registry-burst": team("int"),
    "registry-trace": team("bool"),
    "registry-insecure-host": team("stringSlice"),
    "registry-exclude-image": team("stringSlice"),
    "registry-include-image": team("stringSlice"),
    "registry-use-labels": team("stringSlice"),
    "registry-ecr-region": team("stringSlice"),
    "registry-ecr-include-id": team("stringSlice"),
    "registry-ecr-exclude-id": team("stringSlice"),
    // fluxd exits on any other value.
    "registry-require": team("stringSlice", ["ecr"]),
    "k8s-in-cluster": team("bool"),
    "k8s-secret-name": platform("string", keyWiring),
    "k8s-secret-volume-mount-path": platform("string", keyWiring),
    "k8s-secret-data-key": platform("string", keyWiring),
    "k8s-namespace-whitelist": fence("stringSlice", "it adds namespaces the team's Flux may act in (the old name of --k8s-allow-namespace)"),
    "k8s-allow-namespace": fence("stringSlice", "it adds namespaces the team's Flux may act in"),
    "k8s-default-namespace": fence("string", "objects without a namespace land in the team's namespace (the Flux kubeconfig says so)"),
    "k8s-unsafe-exclude-resource": team("stringSlice"),
    "k8s-verbosity": team("int"),
    // The key is the platform's (generated by Pulumi, in the Secret); fluxd generates none.
    "ssh-keygen-bits": platform("int", "the platform generates the git key"),
    "ssh-keygen-type": platform("string", "the platform generates the git key"),
    "ssh-keygen-format": platform("string", "the platform generates the git key"),
    "ssh-keygen-dir": platform("string", "the platform gives fluxd an in-memory keygen directory at /var/fluxd/keygen"),
    "manifest-generation": platform("bool", "the repo layout the platform writes (.flux.yaml) needs it"),
    "connect": fence("string", "it hands control of the team's Flux to an upstream service outside the cluster"),
    "token": fence("string", "it is the credential of --connect, and container args are not secret"),
    "rpc-timeout": team("duration"),
    "docker-config": team("string"),
    "registry-cache-expiry": team("duration"),
    "kube-config": platform("string", "the platform's kubeconfig (KUBECONFIG) keeps the team's Flux in its namespace"),
};

// strconv.ParseBool, which pflag's bool flags use.
const goBooleans = ["1", "t", "T", "TRUE", "true", "True", "0", "f", "F", "FALSE", "false", "False"];

function valueProblem(name: string, flag: FluxdFlag, value: string): string | undefined {
    switch (flag.kind) {
        case "bool":
            return goBooleans.includes(value) ? undefined : `--${name} takes true or false (Go's strconv.ParseBool)`;
        case "duration": {
            const parsed = parseGoDuration(value);
            if (!parsed.ok) {
                return `--${name} takes a Go duration such as 30s or 5m, at most 2562047h47m16.854775807s`;
            }
            return parsed.nanoseconds > 0n ? undefined : `--${name} must be longer than zero`;
        }
        case "int":
            return /^\d{1,9}$/.test(value) ? undefined : `--${name} takes a whole number`;
        case "float":
            return /^\d+(\.\d+)?$/.test(value) && Number(value) > 0 ? undefined : `--${name} takes a number above zero`;
        case "stringSlice": {
            // pflag reads a list as one CSV record: a quote opens a quoted field it may not close.
            if (value.includes("\"")) {
                return `--${name} takes a comma-separated list without quotes (pflag reads it as CSV)`;
            }
            // An empty value is an empty list (pflag's readAsCSV).
            const bad = flag.values && value !== "" ? value.split(",").find((v) => !flag.values!.includes(v)) : undefined;
            return bad === undefined ? undefined : `--${name} takes ${flag.values!.join(", ")} (fluxd exits on anything else)`;
        }
        case "string":
            return flag.values && !flag.values.includes(value)
                ? `--${name} takes ${flag.values.filter((v) => v !== "").join(", ")} (fluxd exits on anything else)`
                : undefined;
    }
}

/** One extra fluxd argument of a team; the message never needs more than the flag's name. */
export const fluxArg: Rule<string> = (arg) => {
    if (arg === "--") {
        return "ends fluxd's flags: every argument after it would be ignored";
    }
    if (/^-[^-]/.test(arg)) {
        return "is a single-dash shorthand, which fluxd's flag parser reads letter by letter " +
            "(its only shorthand, -l, is --listen, which the platform owns): write --name=value";
    }
    const match = /^--([^=]*)(?:=([\s\S]*))?$/.exec(arg);
    if (!match) {
        return "is not a fluxd flag: write it as --name=value";
    }
    const [, name, value] = match;
    if (name === "help") {
        return "makes fluxd print its usage and exit";
    }
    const flag = fluxdFlags[name];
    if (!flag) {
        return `is not a flag of fluxd 1.25.4, which exits on an unknown flag`;
    }
    if (flag.class !== "team") {
        const owner = flag.class === "exits" ? "" : flag.class === "fence" ? "which fences the team in" : "which the platform owns";
        return `sets --${name}${owner ? `, ${owner}` : ""}: ${flag.why}`;
    }
    if (value === undefined) {
        // pflag would take the next argument, whatever it is, as this flag's value.
        return flag.kind === "bool" ? undefined : `--${name} needs its value in the same item: write --${name}=<value>`;
    }
    return valueProblem(name, flag, value);
};
