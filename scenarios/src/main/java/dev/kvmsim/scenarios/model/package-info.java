/**
 * The scenario model: immutable records bound from a scenario file (docs/scenarios.md). Every
 * value here has passed the loader's checks of structure, types, names and references;
 * argument values the kernel itself validates (an ioeventfd length of 3, a GSI of 4096)
 * are kept as written, for the simulated ioctl to answer.
 */
package dev.kvmsim.scenarios.model;
