package dev.segmindkit.reactive;

import dev.segmindkit.tck.ClientFactory;
import dev.segmindkit.tck.HostileServerSuite;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The shared hostile-server suite, run against the reactive client (on real time, BlockHound installed).
 *
 * <p>The overrides below are the promises this client still breaks (issue 12), each tagged
 * {@value #KNOWN_FAILING}, which this module's build leaves out; {@code -Dhostile.excluded=none}
 * runs them. Delete an override when its fix lands.
 */
class ReactiveHostileServerTest extends HostileServerSuite {
    static final String KNOWN_FAILING = "hostile-known-failing";

    @Override
    protected ClientFactory clients() {
        return new ReactiveClients();
    }

    /** Fails today: InferenceFailedException, but the reason is dropped ("the service gave no reason"). */
    @Test
    @Tag(KNOWN_FAILING)
    @Override
    protected void aFailedReasonInsideA200ResultIsAFailedJob() {
        super.aFailedReasonInsideA200ResultIsAFailedJob();
    }

    /** Fails today: follows the redirect to 127.0.0.2. */
    @Test
    @Tag(KNOWN_FAILING)
    @Override
    protected void aMediaRedirectToAnotherInternalHostIsRefused() {
        super.aMediaRedirectToAnotherInternalHostIsRefused();
    }

    /** Fails today: run() returns the relative URL as an output. */
    @Test
    @Tag(KNOWN_FAILING)
    @Override
    protected void aRelativeOutputUrlIsATypedErrorNamingTheJob() {
        super.aRelativeOutputUrlIsATypedErrorNamingTheJob();
    }

    /** Fails today: reads the whole 200 MB chunked body on each attempt, no size limit. */
    @Test
    @Tag(KNOWN_FAILING)
    @Override
    protected void aResultBodyOf200MegabytesChunkedFailsTypedWithoutBeingReadWhole() {
        super.aResultBodyOf200MegabytesChunkedFailsTypedWithoutBeingReadWhole();
    }

    /** Fails today: run() returns a PROCESSING result with no output. */
    @Test
    @Tag(KNOWN_FAILING)
    @Override
    protected void aResultThatSaysProcessingAfterTheStatusSaidCompletedIsATypedErrorNamingTheJob() {
        super.aResultThatSaysProcessingAfterTheStatusSaidCompletedIsATypedErrorNamingTheJob();
    }

    /** Fails today: run() accepts a status whose request_id is another job's. */
    @Test
    @Tag(KNOWN_FAILING)
    @Override
    protected void aStatusAboutAnotherJobIsATypedErrorNamingTheJob() {
        super.aStatusAboutAnotherJobIsATypedErrorNamingTheJob();
    }

    /** Fails today: reads the whole 200 MB on each attempt, no size limit. */
    @Test
    @Tag(KNOWN_FAILING)
    @Override
    protected void aStatusBodyOf200MegabytesFailsTypedWithoutBeingReadWhole() {
        super.aStatusBodyOf200MegabytesFailsTypedWithoutBeingReadWhole();
    }

    /** Fails today: reads the whole 200 MB before failing, no size limit. */
    @Test
    @Tag(KNOWN_FAILING)
    @Override
    protected void aSubmitAnswerOf200MegabytesIsOutcomeUnknownWithoutBeingReadWhole() {
        super.aSubmitAnswerOf200MegabytesIsOutcomeUnknownWithoutBeingReadWhole();
    }

    /** Fails today: untyped IllegalArgumentException ("a request id holds only letters, digits...") after the paid submit. */
    @Test
    @Tag(KNOWN_FAILING)
    @Override
    protected void aTildeInTheRequestIdIsAJobLikeAnyOther() {
        super.aTildeInTheRequestIdIsAJobLikeAnyOther();
    }

    /** Fails today: RateLimitException after about 10 s with a 3 s deadline. */
    @Test
    @Tag(KNOWN_FAILING)
    @Override
    protected void aV1Answering429EveryTimeEndsByTheDeadline() {
        super.aV1Answering429EveryTimeEndsByTheDeadline();
    }

    /** Fails today: reads the whole 200 MB 500 body on each attempt, no size limit. */
    @Test
    @Tag(KNOWN_FAILING)
    @Override
    protected void anErrorBodyOf200MegabytesFailsTypedWithoutBeingReadWhole() {
        super.anErrorBodyOf200MegabytesFailsTypedWithoutBeingReadWhole();
    }

    /** Fails today: fetches the output from 127.0.0.2. */
    @Test
    @Tag(KNOWN_FAILING)
    @Override
    protected void anOutputOnAnotherInternalHostIsNotFetched() {
        super.anOutputOnAnotherInternalHostIsNotFetched();
    }

    /** Fails today: the download is still under way 1 s after close(). */
    @Test
    @Tag(KNOWN_FAILING)
    @Override
    protected void closeDuringADrippingDownloadEndsItAtOnceTyped() {
        super.closeDuringADrippingDownloadEndsItAtOnceTyped();
    }

    /** Fails today: the submit is still under way 1 s after close(). */
    @Test
    @Tag(KNOWN_FAILING)
    @Override
    protected void closeDuringAStalledSubmitEndsItAtOnceTyped() {
        super.closeDuringAStalledSubmitEndsItAtOnceTyped();
    }

    /** Fails today: the wait is still under way 1 s after close(). */
    @Test
    @Tag(KNOWN_FAILING)
    @Override
    protected void closeDuringAStalledWaitEndsItAtOnceTypedNamingTheJob() {
        super.closeDuringAStalledWaitEndsItAtOnceTypedNamingTheJob();
    }

    /** Fails today: the key is in the SubmitOutcomeUnknownException message (the body is quoted). */
    @Test
    @Tag(KNOWN_FAILING)
    @Override
    protected void theKeyEchoedInASubmitAnswerLackingTheRequestIdIsNeverShown() {
        super.theKeyEchoedInASubmitAnswerLackingTheRequestIdIsNeverShown();
    }

    /** Fails today: the key echoed in the HTML body appears in DEBUG log lines. */
    @Test
    @Tag(KNOWN_FAILING)
    @Override
    protected void theKeyEchoedInAnHtmlStatusBodyIsNeverShown() {
        super.theKeyEchoedInAnHtmlStatusBodyIsNeverShown();
    }

    /** Fails today: InferenceResult.toString() shows the output URL holding the key. */
    @Test
    @Tag(KNOWN_FAILING)
    @Override
    protected void theKeyEchoedInAnOutputUrlIsNeverShown() {
        super.theKeyEchoedInAnOutputUrlIsNeverShown();
    }
}
