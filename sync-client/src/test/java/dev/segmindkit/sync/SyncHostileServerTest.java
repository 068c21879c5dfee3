package dev.segmindkit.sync;

import dev.segmindkit.tck.ClientFactory;
import dev.segmindkit.tck.HostileServerSuite;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The shared hostile-server suite, run against the blocking client.
 *
 * <p>The overrides below are the promises this client still breaks (issue 12), each tagged
 * {@value #KNOWN_FAILING}, which this module's build leaves out; {@code -Dhostile.excluded=none}
 * runs them. Delete an override when its fix lands.
 */
class SyncHostileServerTest extends HostileServerSuite {
    static final String KNOWN_FAILING = "hostile-known-failing";

    @Override
    protected ClientFactory clients() {
        return new SyncClients();
    }

    /** Fails today: SegmindIOException at the first cut: downloads are never retried. */
    @Test
    @Tag(KNOWN_FAILING)
    @Override
    protected void aDownloadCutAtAnyByteIsRetried() {
        super.aDownloadCutAtAnyByteIsRetried();
    }

    /** Fails today: SegmindIOException "download of output failed: closed": downloads are never retried. */
    @Test
    @Tag(KNOWN_FAILING)
    @Override
    protected void aDownloadResetMidBodyIsRetried() {
        super.aDownloadResetMidBodyIsRetried();
    }

    /** Fails today: InferenceFailedException, but the reason is dropped ("the service gave no reason"). */
    @Test
    @Tag(KNOWN_FAILING)
    @Override
    protected void aFailedReasonInsideA200ResultIsAFailedJob() {
        super.aFailedReasonInsideA200ResultIsAFailedJob();
    }

    /** Fails today: hangs: the download time-out bounds only the headers. */
    @Test
    @Tag(KNOWN_FAILING)
    @Override
    protected void aMediaDownloadThatStallsMidBodyFailsTyped() {
        super.aMediaDownloadThatStallsMidBodyFailsTyped();
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

    /** Fails today: reads the whole 200 MB on each attempt (about 3.5 s), no size limit. */
    @Test
    @Tag(KNOWN_FAILING)
    @Override
    protected void aResultBodyOf200MegabytesChunkedFailsTypedWithoutBeingReadWhole() {
        super.aResultBodyOf200MegabytesChunkedFailsTypedWithoutBeingReadWhole();
    }

    /** Fails today: hangs: the request time-out bounds only the headers. */
    @Test
    @Tag(KNOWN_FAILING)
    @Override
    protected void aResultBodyThatStallsFailsTypedWithinItsAttempts() {
        super.aResultBodyThatStallsFailsTypedWithinItsAttempts();
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

    /** Fails today: reads the whole 200 MB on each of 3 attempts (about 4 s), no size limit. */
    @Test
    @Tag(KNOWN_FAILING)
    @Override
    protected void aStatusBodyOf200MegabytesFailsTypedWithoutBeingReadWhole() {
        super.aStatusBodyOf200MegabytesFailsTypedWithoutBeingReadWhole();
    }

    /** Fails today: hangs past the deadline: the body is not bounded. */
    @Test
    @Tag(KNOWN_FAILING)
    @Override
    protected void aStatusBodyThatStallsEndsTheWaitByItsDeadline() {
        super.aStatusBodyThatStallsEndsTheWaitByItsDeadline();
    }

    /** Fails today: SubmitOutcomeUnknownException only after reading the whole 200 MB (about 2.5 s), no size limit. */
    @Test
    @Tag(KNOWN_FAILING)
    @Override
    protected void aSubmitAnswerOf200MegabytesIsOutcomeUnknownWithoutBeingReadWhole() {
        super.aSubmitAnswerOf200MegabytesIsOutcomeUnknownWithoutBeingReadWhole();
    }

    /** Fails today: hangs: the submit body is not bounded. */
    @Test
    @Tag(KNOWN_FAILING)
    @Override
    protected void aSubmitWhoseAnswerStallsAfterItsHeadersIsOutcomeUnknownAndNeverResent() {
        super.aSubmitWhoseAnswerStallsAfterItsHeadersIsOutcomeUnknownAndNeverResent();
    }

    /** Fails today: untyped IllegalArgumentException ("a request id holds only letters, digits...") after the paid submit. */
    @Test
    @Tag(KNOWN_FAILING)
    @Override
    protected void aTildeInTheRequestIdIsAJobLikeAnyOther() {
        super.aTildeInTheRequestIdIsAJobLikeAnyOther();
    }

    /** Fails today: SubmitOutcomeUnknownException (requestSent) for a handshake that failed, nothing was sent. */
    @Test
    @Tag(KNOWN_FAILING)
    @Override
    protected void aTlsHandshakeThatFailsOnASubmitIsNotSent() {
        super.aTlsHandshakeThatFailsOnASubmitIsNotSent();
    }

    /** Fails today: RateLimitException after about 10 s with a 3 s deadline. */
    @Test
    @Tag(KNOWN_FAILING)
    @Override
    protected void aV1Answering429EveryTimeEndsByTheDeadline() {
        super.aV1Answering429EveryTimeEndsByTheDeadline();
    }

    /** Fails today: hangs: the v1 body is not bounded by the deadline. */
    @Test
    @Tag(KNOWN_FAILING)
    @Override
    protected void aV1ImageThatStallsMidBodyFailsWithinTheDeadlineAndIsNotResent() {
        super.aV1ImageThatStallsMidBodyFailsWithinTheDeadlineAndIsNotResent();
    }

    /** Fails today: hangs past the deadline: a 503 body that stalls is not bounded. */
    @Test
    @Tag(KNOWN_FAILING)
    @Override
    protected void anErrorBodyThatStallsEndsTheWaitByItsDeadline() {
        super.anErrorBodyThatStallsEndsTheWaitByItsDeadline();
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

    /** Fails today: typed error, but the abandoned connection is left open after close(). */
    @Test
    @Tag(KNOWN_FAILING)
    @Override
    protected void headersOfManyMegabytesFailTyped() {
        super.headersOfManyMegabytesFailTyped();
    }

    /** Fails today: typed error, but the abandoned connection is left open after close(). */
    @Test
    @Tag(KNOWN_FAILING)
    @Override
    protected void oneHeaderOfAMegabyteFailsTyped() {
        super.oneHeaderOfAMegabyteFailsTyped();
    }

    /** Fails today: the key is in the SubmitOutcomeUnknownException message (the body is quoted). */
    @Test
    @Tag(KNOWN_FAILING)
    @Override
    protected void theKeyEchoedInASubmitAnswerLackingTheRequestIdIsNeverShown() {
        super.theKeyEchoedInASubmitAnswerLackingTheRequestIdIsNeverShown();
    }

    /** Fails today: the key echoed in the HTML body appears in DEBUG log lines (status answer / retry event). */
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
