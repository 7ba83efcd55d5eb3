using Xunit;

// Every integration test runs real brokers, databases and nodes with timing-based expectations (rebalances,
// backpressure, live pushes within a second); on a 2-core machine running them side by side starves some of them.
// One at a time keeps the suite deterministic and well inside its time budget.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
