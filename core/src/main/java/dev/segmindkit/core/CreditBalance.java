package dev.segmindkit.core;

/** The account's credits, as {@code GET /v1/get-user-credits} answers them. */
public final class CreditBalance {
    private final double credits;
    private final double freeCredits;

    public CreditBalance(double credits, double freeCredits) {
        this.credits = credits;
        this.freeCredits = freeCredits;
    }

    /** Paid credits left. */
    public double credits() {
        return credits;
    }

    /** Free credits left. */
    public double freeCredits() {
        return freeCredits;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CreditBalance && Double.compare(((CreditBalance) o).credits, credits) == 0
                && Double.compare(((CreditBalance) o).freeCredits, freeCredits) == 0;
    }

    @Override
    public int hashCode() {
        return Double.hashCode(credits) * 31 + Double.hashCode(freeCredits);
    }

    @Override
    public String toString() {
        return "CreditBalance{credits=" + credits + ", freeCredits=" + freeCredits + '}';
    }
}
