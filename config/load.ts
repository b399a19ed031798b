// The program's one entry to stack config: read everything, validate everything, and stop with
// every problem listed before a single resource is registered.
import * as pulumi from "@pulumi/pulumi";
import { PlatformConfig } from "./types";
import { validateConfig } from "./validate";

// In the SDK since 3.x but left out of its typings: whether a key was set with `--secret`.
const runtime = pulumi.runtime as unknown as { isConfigSecret(key: string): boolean };

export function loadConfig(): PlatformConfig {
    const raw = pulumi.runtime.allConfig();
    const result = validateConfig(raw, new Set(Object.keys(raw).filter((key) => runtime.isConfigSecret(key))));
    if (!result.ok) {
        const count = result.problems.length === 1 ? "1 problem" : `${result.problems.length} problems`;
        // RunError ends the program with this message alone, no stack trace.
        throw new pulumi.RunError(
            `The stack config has ${count}; nothing was changed:\n` +
            result.problems.map((p) => `  - ${p}`).join("\n"),
        );
    }
    result.notices.forEach((notice) => void pulumi.log.warn(notice));
    return result.config;
}
