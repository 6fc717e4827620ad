/**
 * Reading scenario files: a location-keeping tree built from Jackson's streaming parser
 * (YAML or JSON), and the binders that turn it into the model while collecting every error
 * with its file, line, column and field path. {@code ScenarioBinder} reads the top level and
 * hands each section to its binder (vm, eventfds, threads, host steps with their routing
 * entries and expected results, guest programs, expectations); they share one
 * {@code BindContext} (the error-collecting {@code Reader} and the declared names). A value
 * that fails is an empty {@code Optional} after its error is recorded, never {@code null}.
 */
package dev.kvmsim.scenarios.load;
