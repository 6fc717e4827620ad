/** The scenario language (SCENARIOS.md): model, loader, validation, runner, expectations, report. */
package dev.kvmsim.scenarios;
