/**
 * Reading scenario files: a location-keeping tree built from Jackson's streaming parser
 * (YAML or JSON), and the binder that turns it into the model while collecting every error
 * with its file, line, column and field path.
 */
package dev.kvmsim.scenarios.load;
