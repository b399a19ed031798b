// The program's one entry to stack config: read everything, validate everything, and stop with
// every problem listed before a single resource is registered.
import * as pulumi from "@pulumi/pulumi";
import { PlatformConfig } from "./types";
import { validateConfig } from "./validate";

export function loadConfig(): PlatformConfig {
    const result = validateConfig(pulumi.runtime.allConfig());
    if (!result.ok) {
        const count = result.problems.length === 1 ? "1 problem" : `${result.problems.length} problems`;
        // RunError ends the program with this message alone, no stack trace.
        throw new pulumi.RunError(
            `The stack config has ${count}; nothing was changed:\n` +
            result.problems.map((p) => `  - ${p}`).join("\n"),
        );
    }
    return result.config;
}
