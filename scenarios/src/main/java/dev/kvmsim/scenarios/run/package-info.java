/**
 * Running a scenario: the set-up of the simulation and the VM, the host steps at their
 * times, host threads and guest programs, and the evaluation of expectations into a report.
 */
package dev.kvmsim.scenarios.run;
