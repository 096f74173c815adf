#include "mapping/text.hpp"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

namespace blink_sync {
namespace {

// "José" spelled with a precomposed é (U+00E9) and with e + U+0301.
const std::string kComposed = "Jos\xC3\xA9";
const std::string kDecomposed = "Jose\xCC\x81";

TEST(Text, NfcMakesDecomposedEqualComposed) {
  ASSERT_NE(kComposed, kDecomposed);

  EXPECT_EQ(normalise_name(kDecomposed), kComposed);
  EXPECT_EQ(normalise_name(kComposed), kComposed);
}

// Text below U+0300 skips utf8proc, so this checks both paths: Latin-1 and
// Latin Extended letters stay as they are, and one combining mark after
// them (U+0301 from byte 0xCC on) still composes.
TEST(Text, NfcOfLatinTextWithAndWithoutMarks) {
  const std::string latin = "Zo\xC3\xAB \xC3\x91\xC3\xBA\xC3\xB1" "ez \xC5\x81ukasz \xC7\x85";  // Zoë Ñúñez Łukasz ǅ
  EXPECT_EQ(normalise_name(latin), latin);

  EXPECT_EQ(normalise_name("\xC5\x81ukasz Jose\xCC\x81"), "\xC5\x81ukasz Jos\xC3\xA9");
  EXPECT_EQ(normalise_name("A\xCC\x8A"), "\xC3\x85");  // A + ring above is Å
}

// Text below U+0300 takes loose_key's table. A combining acute accent
// (U+0301) at the end sends the same text through utf8proc, which strips
// the accent, so both paths must return the same key.
TEST(Text, LooseKeyTableAgreesWithUtf8proc) {
  const std::string acute = "\xCC\x81";
  for (unsigned code_point = 0x80; code_point < 0x300; ++code_point) {
    std::string text = "Ab";
    text += static_cast<char>(0xC0 | (code_point >> 6));
    text += static_cast<char>(0x80 | (code_point & 0x3F));
    text += "c";
    EXPECT_EQ(loose_key(text), loose_key(text + acute)) << "U+" << std::hex << code_point;
  }
  EXPECT_EQ(loose_key("\xC5\x81ukasz Zo\xC3\xAB Stra\xC3\x9F" "e"), "\xC5\x82ukasz zoe strasse");  // Łukasz Zoë Straße
}

TEST(Text, NormaliseNameTrimsAndCollapsesSpaces) {
  EXPECT_EQ(normalise_name("  Mary \t  Ann  "), "Mary Ann");
  EXPECT_EQ(normalise_name("\n"), "");
  EXPECT_EQ(normalise_name(""), "");
}

TEST(Text, LooseKeyIgnoresCaseAndAccents) {
  EXPECT_EQ(loose_key(kComposed), loose_key("jose"));
  EXPECT_EQ(loose_key(kDecomposed), loose_key("JOSE"));
  EXPECT_EQ(loose_key("  Van   Dyke "), loose_key("van dyke"));
  EXPECT_EQ(loose_key("\xC3\x85sa"), loose_key("asa"));  // Åsa
}

TEST(Text, LooseKeyKeepsDifferentLetters) {
  EXPECT_NE(loose_key("Jose"), loose_key("Josh"));
  EXPECT_NE(loose_key("Ann"), loose_key("Anne"));
}

TEST(Text, EmailKeyIgnoresAsciiCase) {
  EXPECT_EQ(email_key("  Pat.Lee@Example.ORG "), "pat.lee@example.org");
  EXPECT_EQ(email_key("pat@example.org"), email_key("PAT@EXAMPLE.ORG"));
  EXPECT_NE(email_key("pat@example.org"), email_key("pat@example.com"));
}

// append_loose_key builds ASCII keys in one pass and sends other text to
// the utf8proc paths. Either way the key follows what the buffer held.
TEST(Text, AppendLooseKeyAppendsKey) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"", ""},
      {" \t ", ""},
      {"  Van \t  Dyke ", "van dyke"},
      {"MARY-ANN O'NEIL", "mary-ann o'neil"},
      {kDecomposed, "jose"},
      {" Zo\xC3\xAB  \xC3\x85sa ", "zoe asa"},
      {"Jos\xFF", "Jos\xFF"},  // invalid UTF-8 stays unchanged
  };
  for (const auto& [text, expected] : cases) {
    std::string key = "prefix|";
    append_loose_key(text, key);
    EXPECT_EQ(key, "prefix|" + expected) << text;
    EXPECT_EQ(loose_key(text), expected) << text;
  }
}

TEST(Text, AppendEmailKeyAppendsKey) {
  std::string key = "prefix|";
  append_email_key("  Pat.Lee@Example.ORG ", key);
  EXPECT_EQ(key, "prefix|pat.lee@example.org");
}

// The ASCII check tests eight bytes at a time, so put the one non-ASCII
// byte in the first word, in a later word and in the tail after the words.
TEST(Text, NonAsciiFoundAtAnyOffset) {
  const std::string ascii = "abcdefghijklmnopqrstu";  // 21 bytes: two words and a tail
  for (std::size_t at = 0; at <= ascii.size(); ++at) {
    const std::string text = ascii.substr(0, at) + kComposed + ascii.substr(at);
    EXPECT_EQ(code_point_count(text), ascii.size() + 4) << "at " << at;
    EXPECT_EQ(loose_key(text), ascii.substr(0, at) + "jose" + ascii.substr(at)) << "at " << at;
  }
}

TEST(Text, PhoneDigitsDropsPunctuation) {
  EXPECT_EQ(phone_digits("719-555-0142"), "7195550142");
  EXPECT_EQ(phone_digits("(719) 555 0142"), "7195550142");
  EXPECT_EQ(phone_digits("+1 719.555.0142"), "17195550142");
  EXPECT_EQ(phone_digits("none"), "");
}

TEST(Text, TrimRemovesAsciiWhiteSpace) {
  EXPECT_EQ(trim(" \t a b \r\n"), "a b");
  EXPECT_EQ(trim("   "), "");
  EXPECT_EQ(trim("x"), "x");
}

TEST(Text, ValidUtf8Accepted) {
  EXPECT_TRUE(is_valid_utf8(""));
  EXPECT_TRUE(is_valid_utf8("plain"));
  EXPECT_TRUE(is_valid_utf8(kComposed));
  EXPECT_TRUE(is_valid_utf8("\xE6\x9D\x8E"));  // 李
}

TEST(Text, InvalidUtf8Detected) {
  EXPECT_FALSE(is_valid_utf8("\xFF"));
  EXPECT_FALSE(is_valid_utf8("Jos\xC3"));       // truncated sequence
  EXPECT_FALSE(is_valid_utf8("\xC0\xAF"));      // overlong '/'
  EXPECT_FALSE(is_valid_utf8("\xED\xA0\x80"));  // UTF-16 surrogate
  EXPECT_FALSE(is_valid_utf8("a\x80z"));        // stray continuation byte
}

TEST(Text, InvalidUtf8LeftUnchanged) {
  const std::string bad = "Jos\xFF";

  EXPECT_EQ(normalise_name(bad), bad);
  EXPECT_EQ(loose_key(bad), bad);
}

// Invalid bytes below 0xCC, which the fast paths see first: a cut-off
// sequence, an overlong one and a lone continuation byte.
TEST(Text, InvalidUtf8BelowCombiningMarksLeftUnchanged) {
  for (const std::string bad : {"Jos\xC3", "J\xC1\x81s", "J\x81s"}) {
    EXPECT_EQ(normalise_name(bad), bad);
    EXPECT_EQ(loose_key(bad), bad);
  }
}

TEST(Text, CodePointCountCountsCharacters) {
  EXPECT_EQ(code_point_count(""), 0u);
  EXPECT_EQ(code_point_count("abc"), 3u);
  EXPECT_EQ(code_point_count(kComposed), 4u);
  EXPECT_EQ(code_point_count(kDecomposed), 5u);
  EXPECT_EQ(code_point_count("\xF0\x9F\x98\x80"), 1u);  // an emoji, four bytes
}

TEST(Text, CodePointCountOfInvalidIsBytes) {
  EXPECT_EQ(code_point_count("a\xFF\xFE"), 3u);
  EXPECT_EQ(code_point_count("Jos\xC3"), 4u);
}

TEST(Text, NaturalOrderComparesNumbers) {
  EXPECT_TRUE(natural_less("2", "10"));
  EXPECT_FALSE(natural_less("10", "2"));
  EXPECT_TRUE(natural_less("s2", "s10"));
  EXPECT_TRUE(natural_less("a", "b"));
  EXPECT_TRUE(natural_less("a1", "a1b"));
  EXPECT_FALSE(natural_less("7", "7"));
  EXPECT_NE(natural_less("01", "1"), natural_less("1", "01")) << "equal values still get a fixed order";
}

}  // namespace
}  // namespace blink_sync
