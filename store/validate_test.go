package store

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestNormalizeCUI(t *testing.T) {
	// Real companies' fiscal codes, checked against the official key 753217532.
	for in, want := range map[string]string{
		"18547290":    "18547290",
		"14399840":    "14399840",
		"RO 1590082":  "RO1590082",
		"ro18547290":  "RO18547290",
		" 14399840 ":  "14399840",
		"RO 14399840": "RO14399840",
	} {
		got, ok := NormalizeCUI(in)
		require.True(t, ok, in)
		require.Equal(t, want, got, in)
	}
	for _, bad := range []string{"18547291", "14399841", "RO1590083", "", "RO", "1", "12345678901", "01234567", "1854729O", "DE18547290"} {
		_, ok := NormalizeCUI(bad)
		require.False(t, ok, bad)
	}
}

func TestNormalizePhone(t *testing.T) {
	for in, want := range map[string]string{
		"0722 123 456":      "+40722123456",
		"+40 722 123 456":   "+40722123456",
		"0040-722-123-456":  "+40722123456",
		"021 312 3456":      "+40213123456",
		"(0264) 123 456":    "+40264123456",
		"+49 30 1234567":    "+49301234567",
		"+1 (202) 555-0142": "+12025550142",
	} {
		got, ok := NormalizePhone(in)
		require.True(t, ok, in)
		require.Equal(t, want, got, in)
	}
	for _, bad := range []string{"123", "0822 123 456", "07221234567", "+40 722 12", "phone", "+0 123456789"} {
		_, ok := NormalizePhone(bad)
		require.False(t, ok, bad)
	}
}

func TestNormalizeEmail(t *testing.T) {
	got, ok := NormalizeEmail("  Ion.Popescu@Firma.RO ")
	require.True(t, ok)
	require.Equal(t, "ion.popescu@firma.ro", got)
	for _, bad := range []string{"", "ion", "ion@", "@firma.ro", "ion@localhost", "Ion <ion@firma.ro>", "ion@firma.ro.",
		"a b@firma.ro", strings.Repeat("a", 250) + "@x.ro", "ștefan@firma.ro", "ion@oțel.ro"} {
		_, ok := NormalizeEmail(bad)
		require.False(t, ok, bad)
	}
}

func TestNormalizeCounty(t *testing.T) {
	require.Len(t, Counties, 42, "41 counties and București")
	for in, want := range map[string]string{
		"Cluj": "Cluj", "bucuresti": "București", "Bistrita Nasaud": "Bistrița-Năsăud",
		"Timiş": "Timiș", "CONSTANȚA": "Constanța", "satu-mare": "Satu Mare",
	} {
		got, ok := NormalizeCounty(in)
		require.True(t, ok, in)
		require.Equal(t, want, got)
	}
	_, ok := NormalizeCounty("Bavaria")
	require.False(t, ok)
}

func TestCheckPassword(t *testing.T) {
	check := func(pw, email string) bool {
		v := &Validator{}
		CheckPassword(v, "password", pw, email)
		return !v.HasErrors()
	}
	require.True(t, check("oțel-laminat-2026", "a@b.ro"))
	require.False(t, check("short", ""), "too short")
	require.False(t, check("Password123", ""), "common, any case")
	require.False(t, check("ion@firma.ro", "ion@firma.ro"), "the email itself")
	require.False(t, check(strings.Repeat("x", 257), ""), "too long")
}

func TestPrehash(t *testing.T) {
	long := strings.Repeat("a", 72)
	require.NotEqual(t, prehash(long+"1"), prehash(long+"2"), "bytes beyond 72 still count")
	require.Len(t, prehash(strings.Repeat("ț", 500)), 44, "always 44 bytes, under bcrypt's 72")
}
