int main(void)
{
	setvbuf(stdout, NULL, _IOFBF, 1 << 16);
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_kick;
	sigaction(SIGUSR1, &sa, NULL);
	printf("kvmsim-results 1\nscenario %s\n", SCENARIO_NAME);
	setup_vm();
	for (int e = 0; e < NEVENTFDS; e++) {
		efd[e] = eventfd((unsigned int)efd_initial[e], efd_flags[e]);
		if (efd[e] < 0)
			die("eventfd");
	}
	notevent_fd = open("/dev/null", O_RDWR | O_CLOEXEC);
	for (int t = 0; t < NTHREADS; t++) {
		pthread_t th;
		if (pthread_create(&th, NULL, host_thread_main, (void *)&thread_specs[t]) != 0)
			die("pthread_create");
		pthread_detach(th);
	}
	start_guests();
	int next = 0;
	for (;;) {
		while (next < NSTEPS && step_at[next] <= clock_ns && !failed)
			step_fn[next++]();
		if (!*g32(MEM_BASE + G_STARTED)) {
			*g32(MEM_BASE + G_STARTED) = 1;
			__sync_synchronize();
			for (int v = 0; v < NVCPUS; v++)
				kick(v);
		}
		settle();
		if (failed)
			break;
		uint64_t t = next_time(next);
		if (t == UINT64_MAX || (HAS_UNTIL && t > UNTIL_NS))
			break;
		advance(t);
	}
	for (; next < NSTEPS; next++)
		if (!step_is_check[next])
			print_step(next, step_action[next], "not-run");
	final_report();
	_exit(0);
}
