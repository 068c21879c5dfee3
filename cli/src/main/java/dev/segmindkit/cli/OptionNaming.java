package dev.segmindkit.cli;

/** A command that can say which of its options sets a parameter, so errors name what the user typed. */
interface OptionNaming {
    /** The option for a parameter's wire name, such as {@code --number-of-images} for {@code number_of_images}. */
    String optionFor(String wireName);
}
