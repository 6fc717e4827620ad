/** The scenario language (docs/scenarios.md): model, loader, validation, runner, expectations, report. */
package dev.kvmsim.scenarios;
