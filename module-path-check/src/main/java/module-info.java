/** A user's application on the module path: both clients and the testkit, nothing else. */
module dev.segmindkit.modulepath {
    requires dev.segmindkit.sync;
    requires dev.segmindkit.reactive;
    requires dev.segmindkit.testkit;
}
