package apphttp

import (
	"context"
	"encoding/json"
	"net/http"

	"github.com/gorilla/mux"

	"github.com/metalpro/backend/store"
)

// projectBodyLimit leaves room for a 1 MB bomData plus the other fields.
const projectBodyLimit = store.MaxBOMDataBytes + 64<<10

type projectRequest struct {
	Name        *string         `json:"name"`
	Description *string         `json:"description"`
	FileName    *string         `json:"fileName"`
	BOMData     json.RawMessage `json:"bomData"`
}

// nullMeans lets "description": null remove the description, as "" does.
func (projectRequest) nullMeans(field string) (json.RawMessage, bool) {
	return json.RawMessage(`""`), field == "description"
}

func (p projectRequest) input() store.ProjectInput {
	return store.ProjectInput{Name: p.Name, Description: p.Description, FileName: p.FileName, BOMData: p.BOMData}
}

// handleListProjects lists the user's saved BOM projects: GET /api/projects.
func (s *Server) handleListProjects(w http.ResponseWriter, r *http.Request) {
	v := &store.Validator{}
	page, limit := parsePage(v, r.URL.Query(), maxListPage)
	if err := v.Err(); err != nil {
		s.writeError(w, r, err)
		return
	}
	list, total, err := s.db.FindProjects(r.Context(), store.ProjectFilter{UserID: userFrom(r.Context()).ID, Page: page, Limit: limit})
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, struct {
		Projects   []store.Project `json:"projects"`
		Pagination pagination      `json:"pagination"`
	}{list, newPagination(page, limit, total)})
}

// handleCreateProject saves a BOM project: POST /api/projects.
func (s *Server) handleCreateProject(w http.ResponseWriter, r *http.Request) {
	saveOwned(s, w, r, projectBodyLimit, http.StatusCreated,
		func(ctx context.Context, userID, _ string, req projectRequest) (*store.Project, error) {
			return s.db.CreateProject(ctx, userID, req.input())
		})
}

// handleGetProject returns a project with its BOM: GET /api/projects/{id}.
func (s *Server) handleGetProject(w http.ResponseWriter, r *http.Request) {
	p, err := s.db.Project(r.Context(), userFrom(r.Context()).ID, mux.Vars(r)["id"])
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, p)
}

// handleUpdateProject edits a project: PATCH /api/projects/{id}.
func (s *Server) handleUpdateProject(w http.ResponseWriter, r *http.Request) {
	saveOwned(s, w, r, projectBodyLimit, http.StatusOK,
		func(ctx context.Context, userID, id string, req projectRequest) (*store.Project, error) {
			return s.db.UpdateProject(ctx, userID, id, req.input())
		})
}

// handleDeleteProject removes a project: DELETE /api/projects/{id}.
func (s *Server) handleDeleteProject(w http.ResponseWriter, r *http.Request) {
	deleteOwned(s, w, r, s.db.DeleteProject)
}
