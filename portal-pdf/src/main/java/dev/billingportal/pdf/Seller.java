package dev.billingportal.pdf;

import dev.billingportal.core.PortalException;
import dev.billingportal.core.domain.Address;
import dev.billingportal.core.internal.Checks;

import java.util.Arrays;
import java.util.Objects;

/**
 * The business that issues the invoices, as printed at the top of every document.
 *
 * @param legalName legal name of the seller (required), e.g. {@code Acme SAS}
 * @param address   postal address (never null; {@link Address#EMPTY} when not printed)
 * @param taxId     tax identification number (VAT number, EIN, ...), or null
 * @param email     billing contact e-mail, or null
 * @param logo      PNG or JPEG image printed above the seller's name (at most {@value #MAX_LOGO_BYTES} bytes),
 *                  or null; the record keeps its own copy
 */
public record Seller(String legalName, Address address, String taxId, String email, byte[] logo) {

    /** Largest logo accepted: a logo is printed about 4 cm wide, so anything bigger is a mistake. */
    public static final int MAX_LOGO_BYTES = 1024 * 1024;

    /** Validates every part and copies the logo. */
    public Seller {
        Checks.id(legalName, "seller.legal_name");
        address = address == null ? Address.EMPTY : address;
        Checks.optionalText(taxId, "seller.tax_id");
        Checks.optionalEmail(email, "seller.email");
        if (logo != null) {
            if (logo.length > MAX_LOGO_BYTES) {
                throw PortalException.invalid("seller.logo", "must be at most " + MAX_LOGO_BYTES + " bytes");
            }
            if (!isPng(logo) && !isJpeg(logo)) {
                throw PortalException.invalid("seller.logo", "must be a PNG or JPEG image");
            }
            logo = logo.clone();
        }
    }

    /** A seller with only a legal name. */
    public static Seller of(String legalName) {
        return builder().legalName(legalName).build();
    }

    /** The logo bytes (a copy), or null when there is no logo. */
    @Override
    public byte[] logo() {
        return logo == null ? null : logo.clone();
    }

    /** Equal when every part is, the logo compared by content. */
    @Override
    public boolean equals(Object o) {
        return o instanceof Seller other && legalName.equals(other.legalName) && address.equals(other.address)
                && Objects.equals(taxId, other.taxId) && Objects.equals(email, other.email)
                && Arrays.equals(logo, other.logo);
    }

    /** Consistent with {@link #equals(Object)}. */
    @Override
    public int hashCode() {
        return Objects.hash(legalName, address, taxId, email, Arrays.hashCode(logo));
    }

    /** The parts, with the logo's size instead of its bytes. */
    @Override
    public String toString() {
        return "Seller[legalName=" + legalName + ", address=" + address + ", taxId=" + taxId + ", email=" + email
                + ", logo=" + (logo == null ? "none" : logo.length + " bytes") + "]";
    }

    /** A builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this seller's values, for making a changed copy. */
    public Builder toBuilder() {
        return new Builder().legalName(legalName).address(address).taxId(taxId).email(email).logo(logo);
    }

    private static boolean isPng(byte[] b) {
        return b.length > 8 && (b[0] & 0xff) == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G';
    }

    private static boolean isJpeg(byte[] b) {
        return b.length > 3 && (b[0] & 0xff) == 0xff && (b[1] & 0xff) == 0xd8 && (b[2] & 0xff) == 0xff;
    }

    /** Builds a {@link Seller}; validation happens in {@link #build()}. */
    public static final class Builder {
        private String legalName;
        private Address address = Address.EMPTY;
        private String taxId;
        private String email;
        private byte[] logo;

        private Builder() {
        }

        /** Legal name (required). */
        public Builder legalName(String legalName) { this.legalName = legalName; return this; }

        /** Postal address (default: none printed). */
        public Builder address(Address address) { this.address = address; return this; }

        /** Tax identification number. */
        public Builder taxId(String taxId) { this.taxId = taxId; return this; }

        /** Billing contact e-mail. */
        public Builder email(String email) { this.email = email; return this; }

        /** PNG or JPEG logo. */
        public Builder logo(byte[] logo) { this.logo = logo; return this; }

        /** Validates and builds. */
        public Seller build() {
            return new Seller(legalName, address, taxId, email, logo);
        }
    }
}
